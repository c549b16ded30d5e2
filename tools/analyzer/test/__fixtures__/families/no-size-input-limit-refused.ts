// Lengths of the data in hand summed within one call and checked against a format's limit whose
// branch only refuses: parameters too long for a URL (the caller sends a form body instead), and a
// printed-size estimate that gives up on huge values. Nothing kept is bounded.
// expect: none
const MAX_URL_PARAMS_LENGTH = 16384;

export function paramsForUrl(params: Record<string, string>): [string, string][] | null {
  const entries: [string, string][] = [];
  let rawLength = 0;
  for (const [key, value] of Object.entries(params)) {
    const name = `param_${key}`;
    rawLength += name.length + value.length;
    if (rawLength > MAX_URL_PARAMS_LENGTH) {
      return null;
    }
    entries.push([name, value]);
  }
  return entries;
}

export function estimateSize(value: Record<string, string>): number {
  let size = 2;
  for (const key of Object.keys(value)) {
    size += key.length + (value[key]?.length ?? 0) + 4;
    if (size > 100000) return -1;
  }
  return size;
}
