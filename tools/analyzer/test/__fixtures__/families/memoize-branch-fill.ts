// A field worked out once per object, with a constant put in on one branch of the miss: the fill
// that derives the value decides. A field given only constants is a default, not a memo.
// expect: caching/memoize 8-20 elim 5 "single-value memo"
export class Message {
  private mediaType: string | undefined;
  private charset: string | undefined;
  constructor(private readonly headers: Record<string, string | undefined>) {}
  getMediaType(): string {
    if (this.mediaType !== undefined) {
      return this.mediaType;
    }
    const header = this.headers["content-type"];
    const end = header === undefined ? -1 : header.indexOf(";");
    if (header === undefined) {
      this.mediaType = "application/octet-stream";
    } else {
      this.mediaType = (end === -1 ? header : header.slice(0, end)).trim().toLowerCase();
    }
    return this.mediaType;
  }
  getCharset(): string {
    if (this.charset !== undefined) {
      return this.charset;
    }
    if (this.headers["content-type"] === undefined) {
      this.charset = "latin1";
    } else {
      this.charset = "utf-8";
    }
    return this.charset;
  }
}
