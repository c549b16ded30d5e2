// A node record made from the given address (spread) and registered once, dropped when the
// topology changes: a registry of nodes, not a cache, and its clean-up is no invalidation.
// expect: none
interface Address {
  host: string;
  port: number;
}
interface NodeRecord extends Address {
  address: string;
  client: unknown;
}

export class Topology {
  readonly nodeByAddress = new Map<string, NodeRecord>();

  nodeFor(shard: Address): NodeRecord {
    const address = `${shard.host}:${shard.port}`;
    let node = this.nodeByAddress.get(address);
    if (!node) {
      node = { ...shard, address, client: undefined };
      this.nodeByAddress.set(address, node);
    }
    return node;
  }

  reset(): void {
    this.nodeByAddress.clear();
  }
}
