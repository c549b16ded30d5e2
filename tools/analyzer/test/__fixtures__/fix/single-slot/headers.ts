export type Headers = ReadonlyMap<string, string>;

export function decodeHeaders(bytes: Uint8Array): Headers {
  return new Map([["length", String(bytes.length)]]);
}

export function emptyHeaders(): Headers {
  return new Map();
}
