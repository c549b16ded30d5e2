// A real split memo beside the store's own get-or-compute: `parsedFor` returns a parsed template
// early and on a miss parses it and hands the result to `keep`, which stores it; `inline` is a
// get-or-compute of the same store whose value is worked out from the key (keyed-store reports it
// as a memo), so the store is a cache, not a registry, and the split halves are reported too.
// expect: caching/memoize 12-34 elim 15 "writes `this.#parsed.set(text, tree)` on a miss"
// expect: caching/cache-aside 16-17 elim 2 "reads `this.#parsed` under a key and returns early"
// expect: caching/cache-aside 23-25 elim 3 "the fill of a lookup in another function"
export interface Tree {
  readonly nodes: readonly string[];
}

export class Templates {
  readonly #parsed = new Map<string, Tree>();

  parsedFor(text: string): Tree {
    const hit = this.#parsed.get(text);
    if (hit !== undefined) return hit;
    const tree = parseTemplate(text.trim());
    this.keep(text, tree.nodes.length > 0 ? tree : { nodes: [text] });
    return tree;
  }

  keep(text: string, tree: Tree): void {
    this.#parsed.set(text, { nodes: tree.nodes.slice() });
  }

  inline(text: string): Tree {
    const hit = this.#parsed.get(text);
    if (hit !== undefined) return hit;
    const tree = parseTemplate(text);
    this.#parsed.set(text, tree);
    return tree;
  }
}

function parseTemplate(text: string): Tree {
  return { nodes: text.split(/\s+/) };
}
