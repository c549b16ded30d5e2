// A capped list that is only joined or drained is no window of samples: the last lines of a log
// kept for an error report, and a bounded queue of pending sends.
// expect: none
export class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly max: number) {}

  add(line: string): void {
    if (this.lines.length >= this.max) this.lines.shift();
    this.lines.push(line);
  }

  report(): string {
    return this.lines.join("\n");
  }
}

export class SendQueue {
  private readonly pending: string[] = [];
  constructor(private readonly max: number) {}

  enqueue(message: string): boolean {
    if (this.pending.length >= this.max) return false;
    this.pending.push(message);
    return true;
  }

  next(): string | undefined {
    return this.pending.length > 0 ? this.pending.shift() : undefined;
  }
}
