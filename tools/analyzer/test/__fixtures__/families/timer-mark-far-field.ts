// A job stamps when it starts running; forty lines of work later it reports how long it took
// (the mark read with a default, `?.getTime() || 0`). Mark and delta are two ranges.
// expect: monitoring/timer-delta 11-11 elim 1 "read for an elapsed time on line 50"
// expect: monitoring/timer-delta 50-50 elim 1 "goes to `duration"
export class Job {
  lastRunAt?: Date;
  lastFinishedAt?: Date;
  constructor(private readonly log: (event: { duration: number }) => void) {}

  async run(steps: readonly (() => Promise<void>)[]): Promise<void> {
    this.lastRunAt = new Date();
    const results: string[] = [];
    for (const step of steps) {
      try {
        await step();
        results.push("ok");
      } catch (error) {
        results.push(String(error));
      }
    }
    if (results.length === 0) {
      results.push("empty");
    }
    const failed = results.filter((r) => r !== "ok");
    if (failed.length > 0) {
      results.push(`failed: ${String(failed.length)}`);
    }
    const summary = results.join(", ");
    if (summary.length > 200) {
      results.splice(0, results.length - 10);
    }
    const first = results[0];
    if (first === undefined) {
      results.push("none");
    }
    const last = results[results.length - 1];
    if (last === "none") {
      results.pop();
    }
    const unique = new Set(results);
    if (unique.size < results.length) {
      results.length = unique.size;
    }
    const counts = new Map<string, number>();
    for (const r of results) counts.set(r, (counts.get(r) ?? 0) + 1);
    if (counts.size > 3) {
      counts.clear();
    }
    this.lastFinishedAt = new Date();
    this.log({ duration: this.lastFinishedAt.getTime() - (this.lastRunAt?.getTime() || 0) });
  }
}
