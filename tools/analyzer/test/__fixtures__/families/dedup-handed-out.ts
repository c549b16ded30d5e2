// A connect in flight is kept on the node by one method and handed out by another until it settles.
// expect: response/dedup 21-21 elim 1 "handed to callers while it runs"
interface Link {
  connect(): Promise<Link>;
}

interface Node {
  link?: Link;
  connecting?: Promise<Link>;
}

export class Shards {
  constructor(private readonly open: () => Link) {}

  #connect(node: Node): Promise<Link> {
    const link = (node.link = this.open());
    return (node.connecting = link.connect().finally(() => (node.connecting = undefined)));
  }

  linkOf(node: Node): Promise<Link> {
    return node.connecting ?? (node.link ? Promise.resolve(node.link) : this.#connect(node));
  }
}
