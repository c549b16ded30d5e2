// A connection promise kept on the node for good (cleared only on close, not when it settles) and
// handed out: a resource opened once, not work shared while in flight.
// expect: none
interface Link {
  connect(): Promise<Link>;
  close(): void;
}

interface Node {
  link: Link;
  connected?: Promise<Link> | undefined;
}

export class Shards {
  linkOf(node: Node): Promise<Link> {
    return node.connected ?? this.#connect(node);
  }

  #connect(node: Node): Promise<Link> {
    node.connected = node.link.connect();
    return node.connected;
  }

  close(node: Node): void {
    node.link.close();
    node.connected = undefined;
  }
}
