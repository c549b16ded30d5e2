// A get-or-create holder of state: the entry is updated after it is stored, so a cache that drops
// it would lose what it holds.
interface Digest {
  names: string;
  ids: number[];
}
const digests = new Map<object, Digest>();

export function digestOf(options: object, names: string[]): number[] {
  let digest = digests.get(options);
  if (!digest) {
    digest = { names: "", ids: [] };
    digests.set(options, digest);
  }
  const joined = names.join(",");
  if (digest.names !== joined) {
    digest.names = joined;
    digest.ids = names.map((_, i) => i);
  }
  return digest.ids;
}
