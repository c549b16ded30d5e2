// Tallies kept per key in a member store and read out whole when reported: outcomes raised from
// their own value defaulted to zero (`(o[k] || 0) + n`), a status-code count zeroed on first sight
// and then raised, and a map raised through `get`/`set`. One range per place of counting; the
// zeroing `if` goes with the count it starts.
// expect: monitoring/counter 12-12 elim 1 "counter `outcomes` only incremented"
// expect: monitoring/counter 27-30 elim 4 "counter `byCode` only incremented"
// expect: monitoring/counter 42-42 elim 1 "counter `runs` only incremented"
export class Reporter {
  private outcomes: Record<string, number> = {};

  recordDropped(reason: string, category: string, count = 1): void {
    this.outcomes[`${reason}:${category}`] = (this.outcomes[`${reason}:${category}`] || 0) + count;
  }

  drain(): Record<string, number> {
    const outcomes = this.outcomes;
    this.outcomes = {};
    return outcomes;
  }
}

export class Statistics {
  state = { byCode: {} as Record<string, number>, started: Date.now() };

  registerStatusCode(code: number): void {
    const s = String(code);
    if (this.state.byCode[s] === undefined) {
      this.state.byCode[s] = 0;
    }
    this.state.byCode[s]++;
  }

  toJSON(): object {
    return { ...this.state.byCode };
  }
}

export class Tracker {
  private runs = new Map<string, number>();

  run(type: string, work: () => void): void {
    this.runs.set(type, (this.runs.get(type) ?? 0) + 1);
    work();
  }

  flushStats(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [type, count] of this.runs) out[type] = count;
    this.runs.clear();
    return out;
  }
}
