// A count of the program's own list: entries skipped in an interactive review, compared with the
// list's length to decide when every entry has been skipped and worked into what remains. It is
// the mode's state (handed out by a getter), not a tally kept for a report.
// expect: none
export class ReviewMode {
  private items: string[] = [];
  private skipped = 0;

  getSkipped(): number {
    return this.skipped;
  }

  start(items: string[]): void {
    this.items = items;
    this.skipped = 0;
  }

  skip(): void {
    if (this.skipped === this.items.length) return;
    this.skipped += 1;
    this.items.push(this.items.shift() as string);
    if (this.items.length - this.skipped > 0) this.draw();
  }

  private draw(): void {
    process.stdout.write(`${String(this.items.length)} left\n`);
  }
}
