// Fields given a container built on the miss: a local array of worked-out parts stored into the
// field, a step list filled by a walk and handed out, a filtered list emptied when members change.
// expect: caching/memoize 20-30 elim 3 "container built on first use"
// expect: caching/memoize 33-34 elim 2 "container built on first use"
// expect: caching/cache-invalidate 45-45 elim 1 "empties"
// expect: caching/memoize 49-52 elim 2 "container built on a miss and emptied elsewhere"
interface Tree {
  readonly name: string;
  readonly children: readonly Tree[];
}

export class Duration {
  #parts: number[] | undefined;
  #order: string[] | undefined;
  near: Tree[] | null = null;
  readonly members: Tree[] = [];

  constructor(private readonly millis: number, private readonly tree: Tree) {}

  parts(): number[] {
    if (!this.#parts) {
      const parts = [0, 0, 0];
      const seconds = Math.floor(this.millis / 1000);
      parts[2] = this.millis - seconds * 1000;
      parts[1] = seconds % 60;
      parts[0] = Math.floor(seconds / 60);
      this.#parts = parts;
    }
    return this.#parts;
  }

  order(): string[] {
    if (this.#order) return this.#order;
    const order = (this.#order = []) as string[];
    const visit = (t: Tree): void => {
      order.push(t.name.toLowerCase());
      t.children.forEach(visit);
    };
    visit(this.tree);
    return order;
  }

  join(member: Tree): void {
    this.members.push(member);
    this.near = null;
  }

  resolveNear(): void {
    if (this.near) {
      return;
    }
    this.near = [];
    for (const m of this.members) if (m.children.length === 0) this.near.push(m);
  }
}
