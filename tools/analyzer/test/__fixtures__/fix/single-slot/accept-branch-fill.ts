import { decodeHeaders, emptyHeaders } from "./headers.js";
import type { Headers } from "./headers.js";

export class StoredMessage {
  private _header?: Headers;

  constructor(private readonly raw: string | undefined) {}

  get header(): Headers {
    if (!this._header) {
      if (this.raw) {
        const bytes = new TextEncoder().encode(this.raw);
        this._header = decodeHeaders(bytes);
      } else {
        this._header = emptyHeaders();
      }
    }
    return this._header;
  }
}
