// A worker's consecutive crashes: the number of the next attempt. Its value is the exponent of the
// respawn delay and it is zeroed once the worker is up again; logged beside the delay, it is still
// the backoff's state, not a tally kept for a report.
// expect: none
export class Supervisor {
  private crashes = 0;

  constructor(
    private readonly spawn: () => Promise<void>,
    private readonly log: (message: string, fields: Record<string, number>) => void,
  ) {}

  onExit(): void {
    this.crashes++;
    const wait = 100 * 2 ** (this.crashes - 1);
    this.log("worker crashed, respawning", { crashes: this.crashes, wait });
    setTimeout(() => {
      void this.spawn().then(() => {
        this.crashes = 0;
      });
    }, wait);
  }
}
