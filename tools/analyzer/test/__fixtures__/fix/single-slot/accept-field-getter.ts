export class Message {
  private _subject?: string;

  constructor(private readonly raw: Uint8Array) {}

  get subject(): string {
    if (this._subject) {
      return this._subject;
    }
    this._subject = new TextDecoder().decode(this.raw);
    return this._subject;
  }
}
