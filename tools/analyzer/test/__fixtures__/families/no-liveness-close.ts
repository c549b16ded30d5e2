// Liveness: a peer whose last message is older than the limit is closed, and an expired cache entry
// is deleted. Neither item counts anything in use: a dead peer and a stale entry, not idle
// resources of a pool.
// expect: none
interface Peer {
  lastSeenAt: number;
  close(): void;
}

export class PeerWatch {
  private readonly peers = new Set<Peer>();

  constructor(private readonly limitMillis: number) {}

  check(): void {
    for (const peer of this.peers) {
      if (Date.now() - peer.lastSeenAt > this.limitMillis) {
        peer.close();
        this.peers.delete(peer);
      }
    }
  }
}
