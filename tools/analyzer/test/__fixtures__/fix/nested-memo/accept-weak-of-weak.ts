interface Chunk {
  readonly name: string;
  readonly modules: readonly string[];
}
interface ChunkGraph {
  readonly entry: string;
}

function hasEntry(chunk: Chunk, graph: ChunkGraph): boolean {
  return chunk.modules.includes(graph.entry);
}

const hasEntryCache = new WeakMap<ChunkGraph, WeakMap<Chunk, boolean>>();

export function chunkHasEntry(chunk: Chunk, graph: ChunkGraph): boolean {
  let byChunk = hasEntryCache.get(graph);
  if (byChunk === undefined) {
    byChunk = new WeakMap();
    hasEntryCache.set(graph, byChunk);
  }
  const known = byChunk.get(chunk);
  if (known !== undefined) return known;
  const result = hasEntry(chunk, graph);
  byChunk.set(chunk, result);
  return result;
}
