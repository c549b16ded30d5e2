// A token kept in a field and fetched again by another method when it is missing (or has no scope):
// the getter hands the stored token out, the refresh builds it from the answer.
// expect: caching/memoize 15-23 elim 3 "on a miss `#refresh` computes the value and stores it in the slot"
interface Answer {
  readonly access: string;
  readonly scope: string;
}

export class TokenSource {
  #token: { value: string; scopes: string[] } | undefined;

  constructor(private readonly fetchToken: () => Promise<Answer>) {}

  async token(): Promise<string> {
    if (!this.#token || this.#token.scopes.length === 0) {
      await this.#refresh();
    }
    return this.#token?.value ?? "";
  }

  async #refresh(): Promise<void> {
    const answer = await this.fetchToken();
    this.#token = { value: answer.access.trim(), scopes: answer.scope.split(" ") };
  }
}
