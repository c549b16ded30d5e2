// A writer made on first use and closed when the owner terminates: lazy set-up of a live
// resource (making it again would open another), not a memo of a computed value. The summary
// below is one: worked out from the options on first use and handed out afterwards.
// expect: caching/memoize 39-47 elim 6 "computed on first use"
declare class Writer {
  constructor(owner: object);
  flush(): void;
  close(): Promise<void>;
}

export class Store {
  private writerSlot: Writer | undefined;
  private summary: string | undefined;

  constructor(private readonly options: Readonly<Record<string, string>>) {}

  writer(): Writer {
    return new Writer(this);
  }

  private getWriter(): Writer {
    if (!this.writerSlot) {
      this.writerSlot = this.writer();
    }
    return this.writerSlot;
  }

  save(): void {
    this.getWriter().flush();
  }

  async terminate(): Promise<void> {
    if (this.writerSlot) {
      await this.writerSlot.close();
      this.writerSlot = undefined;
    }
  }

  describe(): string {
    if (this.summary === undefined) {
      this.summary = Object.entries(this.options)
        .map(([key, value]) => `${key}=${value}`)
        .sort()
        .join(", ");
    }
    return this.summary;
  }
}
