// After the fill, the slot is read in a function with its own `this`: another object's field.
export class Handle {
  private _label?: string;

  constructor(private readonly id: number) {}

  label(): string {
    if (this._label) return this._label;
    this._label = `handle-${this.id}`;
    setImmediate(function (this: { _label?: string }) {
      console.log(this._label);
    });
    return this._label;
  }
}
