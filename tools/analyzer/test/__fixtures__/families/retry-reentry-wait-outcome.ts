// The health check is asked again after the server's own Retry-After pause: the attempt's outcome
// (a local of the function) decides, then the function calls itself.
// expect: response/retry-backoff 14-18 elim 5 "then calls `check` again"
interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export class Health {
  constructor(private readonly get: (url: string) => Promise<Reply>) {}

  async check(url: string): Promise<boolean> {
    const reply = await this.get(url);
    const after = reply.headers["retry-after"];
    if (after !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, Number(after) * 1000));
      return this.check(url);
    }
    return reply.status === 200;
  }
}
