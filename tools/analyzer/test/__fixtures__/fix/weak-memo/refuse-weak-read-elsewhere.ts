interface Chunk {
  readonly name: string;
}

const hashes = new WeakMap<Chunk, string>();

export function hashOf(chunk: Chunk): string {
  const hit = hashes.get(chunk);
  if (hit !== undefined) return hit;
  const hash = chunk.name.split("").reverse().join("");
  hashes.set(chunk, hash);
  return hash;
}

export function rename(chunk: Chunk, hash: string): void {
  hashes.set(chunk, hash);
}
