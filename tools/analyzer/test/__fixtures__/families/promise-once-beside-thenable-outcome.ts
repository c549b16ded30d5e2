// A thenable request: its parsed outcome is made on the first `await` (`then` goes through
// `parse()`) and kept so a second `await` does not parse again — the object's own settlement, not a
// result kept for later callers. The summary below is asked for by callers, not by `then`: a
// one-time job whose promise is kept and handed to every later caller.
// expect: caching/promise-cache 35-40 elim 3 "one-time job"
export class ApiRequest<T> implements PromiseLike<T> {
  private parsed: Promise<T> | undefined;

  private summaryPromise: Promise<string> | undefined;

  constructor(
    private readonly response: Promise<string>,
    private readonly decode: (text: string) => T,
  ) {}

  private parse(): Promise<T> {
    if (!this.parsed) {
      this.parsed = this.response.then((text) => this.decode(text));
    }
    return this.parsed;
  }

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.parse().then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.parse().catch(onRejected);
  }

  // Asked by callers, apart from `then`: its promise is a kept result.
  summary(): Promise<string> {
    if (!this.summaryPromise) {
      this.summaryPromise = this.response.then((text) => text.slice(0, 80));
    }
    return this.summaryPromise;
  }
}
