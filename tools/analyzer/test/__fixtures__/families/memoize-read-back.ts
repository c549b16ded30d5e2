// Parsed addresses per id in a module dictionary, made on a miss and read back into a local that
// is handed out through a method call; the key is a short name (`id`), not a list index.
// expect: caching/memoize 9-15 elim 4 "computed on a miss"
interface Address {
  readonly host: string;
  readonly path: string;
}

const parsed: Record<string, Address> = {};

export function pathOf(id: string, uri: string): string {
  let address: Address;
  if (!parsed[id]) {
    parsed[id] = parseUri(uri);
  }
  address = parsed[id];
  return address.path.toLowerCase();
}

function parseUri(uri: string): Address {
  const url = new URL(uri);
  return { host: url.host, path: url.pathname };
}
