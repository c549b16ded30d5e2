/** An error with the HTTP status it answers with (part of the services' shared contract). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses a path id the way the contract says: a positive integer, or 400.
 * @param raw - the path segment
 * @returns the id
 */
export function parseId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) {
    throw new HttpError(400, `id must be a positive integer, got "${raw}"`);
  }
  return id;
}
