/**
 * A long-lived object that holds timers, sockets or memory. `close()` releases them and is
 * idempotent; `await using` calls it through `Symbol.asyncDispose`.
 */
export interface Closeable extends AsyncDisposable {
  /** Releases everything the object holds. Calling it again resolves at once. */
  close(): Promise<void>;
}

/**
 * Closes every resource, even when some fail; rejects with the one failure, or an
 * `AggregateError` naming all of them, after all were tried.
 * @param resources - what to close, in order
 */
export async function closeAll(
  resources: Iterable<{ close(): Promise<void> | void }>,
): Promise<void> {
  const errors: unknown[] = [];
  for (const resource of resources) {
    try {
      await resource.close();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1)
    throw new AggregateError(errors, `${errors.length} resources failed to close`);
}
