// Two send paths retry through one waiting helper: the helper is counted with the first, and the
// second is reported on its own lines (not dropped for sharing the helper's lines). The wait is
// what a policy gives for the attempt, so it changes with it: back-off.
// expect: response/retry-backoff 12-25 elim 12 "which waits"
// expect: response/retry-backoff 29-37 elim 9 "which waits"
interface Policy {
  delayFor(attempt: number, error: unknown): [number, boolean];
}

export class Client {
  constructor(private readonly policy: Policy) {}
  private waitForRetry(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  send(call: () => Promise<string>, attempts = 0): Promise<string> {
    return call()
      .then((body) => body.trim())
      .catch((error: unknown) => {
        const [pause, again] = this.policy.delayFor(attempts, error);
        if (again) {
          return this.waitForRetry(pause).then(() => this.send(call, attempts + 1));
        }
        throw error;
      });
  }

  sendStream(call: () => Promise<string>, attempts = 0): Promise<string> {
    return call()
      .then((body) => body)
      .catch((error: unknown) => {
        const [pause, again] = this.policy.delayFor(attempts, error);
        if (again) {
          return this.waitForRetry(pause).then(() => this.sendStream(call, attempts + 1));
        }
        throw error;
      });
  }
}
