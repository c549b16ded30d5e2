// The value is made, built up, then stored (webpack's per-compilation indexes).
interface Chunk {
  readonly id: string | number;
}
interface Compilation {
  readonly chunks: readonly Chunk[];
}

const chunksByIdCache = new WeakMap<Compilation, Map<string, Chunk>>();

export function getChunksById(compilation: Compilation): Map<string, Chunk> {
  let chunksById = chunksByIdCache.get(compilation);
  if (chunksById === undefined) {
    chunksById = new Map<string, Chunk>();
    for (const chunk of compilation.chunks) {
      chunksById.set(String(chunk.id), chunk);
    }
    chunksByIdCache.set(compilation, chunksById);
  }
  return chunksById;
}
