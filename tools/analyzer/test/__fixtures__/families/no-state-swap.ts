// A state replaced by a fresh one after the old one is kept for an undo: nothing is counted in
// it, so no window.
// expect: none
interface Draft {
  text: string;
  cursor: number;
}
export class Editor {
  private current: Draft = { text: "", cursor: 0 };
  private previous: Draft | undefined;
  private edits = 0;

  type(text: string): void {
    this.current = { text: this.current.text + text, cursor: this.current.cursor + text.length };
    this.edits++;
  }

  clear(): void {
    this.previous = this.current;
    this.current = { text: "", cursor: 0 };
  }

  undo(): void {
    if (this.previous !== undefined) this.current = this.previous;
  }
}
