// A slot tested among other terms and a list filled before the test, worked through in the same
// function: building output, not one task at a time.
// expect: none
export class Layout {
  private current: string | null = null;
  private pinned = false;

  place(names: string[], wanted: boolean): string[] {
    const slots: string[] = [...names];
    if (slots.length === 0) slots.push("default");
    if (this.current === null) {
      this.current = slots.shift() ?? null;
    }
    if (wanted && !this.pinned && slots.length > 1) {
      this.pinned = true;
    } else if (this.pinned && !wanted) {
      this.pinned = false;
    }
    return slots;
  }
}
