// Near miss of no-seen-walk-visited-set: the set of handled entities is the module's own, kept
// across calls, so a later call skips an entity an earlier call already synced.
// expect: caching/seen-cache 5-11 elim 5 "remembers keys already handled"
// expect: caching/seen-cache 28-31 elim 4 "remembers keys already handled"
const synced = new Set<object>();

export function syncOnce(entity: object, push: (e: object) => void): void {
  if (synced.has(entity)) {
    return;
  }
  synced.add(entity);
  push(entity);
}

interface Graph {
  bailouts: string[];
}

interface Module {
  recorded?: WeakSet<Graph>;
}

// The set is kept on the module the caller hands in, made when absent, and outlives the call: a
// bailout is recorded once per graph, however often it is reached — a seen-cache, not a walk.
export function recordBailout(mod: Module, graph: Graph, reason: string): void {
  if (mod.recorded === undefined) {
    mod.recorded = new WeakSet();
  } else if (mod.recorded.has(graph)) {
    return;
  }
  mod.recorded.add(graph);
  graph.bailouts.push(reason);
}
