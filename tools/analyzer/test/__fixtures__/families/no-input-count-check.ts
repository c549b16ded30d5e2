// Two lists of the input counted together and checked once against a batch limit: validation of
// the arguments, no total is kept.
// expect: none
const MAX_BATCH = 500;

export function checkBatch(tokens: readonly string[], ids: readonly string[]): void {
  const totalLength = tokens.length + ids.length;
  if (totalLength > MAX_BATCH) {
    throw new RangeError(`Expected at most ${MAX_BATCH} tokens and ids, got ${totalLength}.`);
  }
}
