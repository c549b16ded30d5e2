// Retries with jittered exponential back-off: the ten lines an engineer writes next to p-queue
// (the anchors have no retry; p-retry would be one more dependency for the same loop).

/** Options of {@link withRetries}. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Back-off before the second attempt, doubled after each; each wait is jittered to 50–100 %. */
  readonly initialMs: number;
  /** Whether an error is worth another attempt. */
  readonly retryOn: (error: unknown) => boolean;
  /** Stops the waits between attempts (the caller gave up). */
  readonly signal?: AbortSignal;
}

/**
 * Runs `attempt` until it resolves, an error is not retryable, or the attempts are spent.
 * @param attempt - one try
 * @param options - attempts, back-off and which errors to retry
 * @returns what the first successful attempt returned
 */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= options.attempts || !options.retryOn(error)) throw error;
      options.signal?.throwIfAborted();
      const wait = options.initialMs * 2 ** (i - 1) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
