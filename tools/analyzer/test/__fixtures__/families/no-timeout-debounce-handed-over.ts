// A debounce handing over to a method of the class: re-armed on every change, and the method it
// runs does the deferred work (it writes the file) — it closes nothing, so it stays a debounce.
// expect: response/debounce 12-13 elim 2 "clears `this.pending` and arms it again"
export class AutoSave {
  private pending: ReturnType<typeof setTimeout> | undefined;
  private text = "";

  constructor(private readonly write: (text: string) => void) {}

  change(text: string): void {
    this.text = text;
    clearTimeout(this.pending);
    this.pending = setTimeout(() => this.save(), 500);
  }

  private save(): void {
    this.write(this.text);
  }
}
