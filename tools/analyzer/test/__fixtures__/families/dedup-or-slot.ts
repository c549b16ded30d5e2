// One token refresh shared by concurrent callers: the slot keeps the pending promise (`p = p ||
// start()`) and is emptied in `finally` once it settles.
// expect: response/dedup 10-15 elim 6 "handed to concurrent callers"
export class ExternalClient {
  #pendingToken: Promise<string> | null = null;

  constructor(private readonly exchange: () => Promise<string>) {}

  async refresh(): Promise<string> {
    this.#pendingToken = this.#pendingToken || this.exchange();
    try {
      return await this.#pendingToken;
    } finally {
      this.#pendingToken = null;
    }
  }
}
