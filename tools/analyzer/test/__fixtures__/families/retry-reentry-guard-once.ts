// A sender that retries a failed post once: a guard leaves unless the post failed and the retry
// flag is still set, then it waits the default delay and posts again with the flag cleared.
// expect: response/retry-backoff 20-27 elim 6 "leaves unless the attempt failed and may go again"
import { pause } from "@example/timing";

export class BatchSender {
  async deliver(batch: unknown[], target: string, mayRetry: boolean): Promise<Outcome> {
    const outcome: Outcome = { delivered: false };
    let failure: unknown;
    try {
      const reply = await fetch(target, { method: "POST", body: JSON.stringify(batch) });
      if (reply.ok) {
        return { delivered: true };
      }
      failure = new Error(`status ${String(reply.status)}`);
    } catch (thrown) {
      failure = thrown;
    }

    if (failure && !mayRetry) {
      outcome.failure = failure;
      return outcome;
    }

    await pause();

    return this.deliver(batch, target, false);
  }
}

interface Outcome {
  delivered: boolean;
  failure?: unknown;
}
