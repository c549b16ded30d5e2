// A per-response memo filled by another function: the text decoded while streaming is kept per
// response, and reading the body returns it instead of decoding again.
// expect: caching/memoize 11-18 elim 5 "computes the value on a miss; `rememberText` writes `decodedText.set(body, text)`"
interface Body {
  readonly raw: Uint8Array;
}

const decodedText = new WeakMap<Body, string>();

export function rememberText(body: Body, text: string): void {
  decodedText.set(body, text);
}

export function textOf(body: Body, encoding: string): string {
  const known = decodedText.get(body);
  if (known !== undefined) {
    return known;
  }
  return new TextDecoder(encoding).decode(body.raw);
}
