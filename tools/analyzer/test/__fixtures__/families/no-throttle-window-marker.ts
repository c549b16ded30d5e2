// A timer armed while its handle is empty that only drops a marker into a log when the window
// ends: it groups what was recorded, no call is held back or run later.
// expect: none
export class Recorder {
  private readonly entries: (string | undefined)[] = [];
  private windowTimer: ReturnType<typeof setTimeout> | undefined;

  record(id: string): void {
    this.entries.push(id);
    if (this.windowTimer === undefined) {
      this.windowTimer = setTimeout(() => {
        this.entries.push(undefined);
        this.windowTimer = undefined;
      }, 5_000);
    }
  }
}
