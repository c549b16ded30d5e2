/**
 * Codes carried by every {@link PerflayerError}. Callers branch on `code`, never on the message.
 *
 * Packages may add their own codes; the ones listed here are shared across perflayer.
 */
export type PerflayerErrorCode =
  | "ERR_INVALID_OPTION"
  | "ERR_INVALID_ARGUMENT"
  | "ERR_TIMEOUT"
  | "ERR_OVERLOADED"
  | "ERR_ABORTED"
  | "ERR_CLOSED"
  | (string & {});

/** Options accepted by every perflayer error constructor. */
export interface PerflayerErrorOptions {
  /** The underlying error, kept for diagnostics (`error.cause`). */
  readonly cause?: unknown;
}

/**
 * The one base class of every error perflayer throws or rejects with.
 *
 * @example
 * ```ts
 * try { await cache.getOrLoad(key, load); }
 * catch (error) { if (error instanceof PerflayerError) console.error(error.code, error.message); }
 * ```
 */
export class PerflayerError extends Error {
  /** A stable machine-readable code such as `ERR_TIMEOUT`. */
  readonly code: PerflayerErrorCode;

  /**
   * @param code - stable machine-readable code
   * @param message - what went wrong, what was expected and how to fix it
   * @param options - `cause` of the error
   */
  constructor(code: PerflayerErrorCode, message: string, options?: PerflayerErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PerflayerError";
    this.code = code;
  }
}

/** A configuration or argument was invalid. The message says what, expected, got, and how to fix it. */
export class PerflayerConfigError extends PerflayerError {
  /**
   * @param code - usually `ERR_INVALID_OPTION` or `ERR_INVALID_ARGUMENT`
   * @param message - built with {@link formatExpected}
   * @param options - `cause` of the error
   */
  constructor(code: PerflayerErrorCode, message: string, options?: PerflayerErrorOptions) {
    super(code, message, options);
    this.name = "PerflayerConfigError";
  }
}

/**
 * A deadline or timeout passed. Its `name` is `"TimeoutError"`, the same as the `DOMException` that
 * `AbortSignal.timeout()` uses, so code that checks `error.name === "TimeoutError"` keeps working.
 */
export class TimeoutError extends PerflayerError {
  /** The timeout that elapsed, in milliseconds, when known. */
  readonly timeoutMs: number | undefined;

  /**
   * @param message - what timed out
   * @param options - the elapsed `timeoutMs` and an optional `cause`
   */
  constructor(message: string, options?: PerflayerErrorOptions & { readonly timeoutMs?: number }) {
    super("ERR_TIMEOUT", message, options);
    this.name = "TimeoutError";
    this.timeoutMs = options?.timeoutMs;
  }
}

/**
 * Work was refused because the system is overloaded (a queue is full or too slow).
 * `retryAfterMs` is the suggested back-off, e.g. for an HTTP `Retry-After` header.
 */
export class OverloadError extends PerflayerError {
  /** Suggested delay before retrying, in milliseconds. */
  readonly retryAfterMs: number;

  /**
   * @param message - why the work was shed
   * @param options - the suggested `retryAfterMs` and an optional `cause`
   */
  constructor(message: string, options: PerflayerErrorOptions & { readonly retryAfterMs: number }) {
    super("ERR_OVERLOADED", message, options);
    this.name = "OverloadError";
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Work was cancelled through an `AbortSignal`. Its `name` is `"AbortError"`, like the `DOMException`
 * that `AbortController.abort()` produces; the signal's own reason is kept as `cause`.
 */
export class AbortError extends PerflayerError {
  /**
   * @param message - what was aborted
   * @param options - the signal's reason as `cause`
   */
  constructor(message = "The operation was aborted", options?: PerflayerErrorOptions) {
    super("ERR_ABORTED", message, options);
    this.name = "AbortError";
  }
}

/**
 * Turns an aborted signal's reason into a typed error: a {@link PerflayerError} reason is returned
 * as is, a `TimeoutError` `DOMException` becomes {@link TimeoutError}, anything else an
 * {@link AbortError} whose `cause` is the reason.
 *
 * @param signal - an aborted signal
 * @param what - what was aborted, for the message
 * @returns the error to reject with
 */
export function abortReason(signal: AbortSignal, what = "The operation"): PerflayerError {
  const reason: unknown = signal.reason;
  if (reason instanceof PerflayerError) return reason;
  if (reason instanceof Error && reason.name === "TimeoutError") {
    return new TimeoutError(`${what} timed out`, { cause: reason });
  }
  return new AbortError(`${what} was aborted`, { cause: reason });
}

/**
 * Throws the typed {@link abortReason} when `signal` is aborted.
 *
 * @param signal - optional signal to check
 * @param what - what would be aborted, for the message
 */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted === true) throw abortReason(signal, what);
}
