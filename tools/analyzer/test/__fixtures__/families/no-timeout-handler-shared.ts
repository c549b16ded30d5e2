// A timer that hands over to a method other code calls too (a periodic flush, also run on
// demand): the method is not the timer's own, and nothing fails when it fires.
// expect: none
export class Flusher {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private rows: string[] = [];

  constructor(
    private readonly ms: number,
    private readonly write: (rows: string[]) => void,
  ) {}

  add(row: string): void {
    this.rows.push(row);
    if (this.timer === undefined)
      this.timer = setTimeout(() => {
        this.flush();
      }, this.ms);
  }

  flush(): void {
    this.timer = undefined;
    this.write(this.rows.splice(0, this.rows.length));
  }

  close(): void {
    this.flush();
  }
}
