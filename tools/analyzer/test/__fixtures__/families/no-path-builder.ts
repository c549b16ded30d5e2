// A nested path written into a target object: each step makes the missing level, then walks down
// into it. The target is data being built, not a store of computed values.
// expect: none
export function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] as string;
    if (seg.startsWith("#")) {
      if (node[seg] == null) {
        node[seg] = [];
      }
    } else {
      let next = node[seg];
      if (next == null) {
        node[seg] = {};
        next = node[seg];
      }
      node = next as Record<string, unknown>;
    }
  }
  node[path[path.length - 1] as string] = value;
}
