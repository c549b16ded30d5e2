// A span's dropped counts: part of the record its caller builds (fluent setters that drop what is
// over the limit and hand back the span) and reads through its accessors. Fields of a data model,
// not a tally record or a metric.
// expect: none
export class RecordedSpan {
  readonly attributes = new Map<string, unknown>();
  readonly events: string[] = [];
  private _droppedAttributesCount = 0;
  private _droppedEventsCount = 0;

  /** @param limit - attributes and events a span keeps */
  constructor(private readonly limit: number) {}

  /** @returns attributes dropped over the limit */
  get droppedAttributesCount(): number {
    return this._droppedAttributesCount;
  }

  /** @returns events dropped over the limit */
  get droppedEventsCount(): number {
    return this._droppedEventsCount;
  }

  /** @returns this span */
  setAttribute(key: string, value: unknown): this {
    if (this.attributes.size >= this.limit && !this.attributes.has(key)) {
      this._droppedAttributesCount++;
      return this;
    }
    this.attributes.set(key, value);
    return this;
  }

  /** @returns this span */
  addEvent(name: string): this {
    if (this.events.length >= this.limit) {
      this._droppedEventsCount++;
      return this;
    }
    this.events.push(name);
    return this;
  }
}
