// A record per socket id of values handed in (the socket itself): registered, not computed.
// expect: none
interface Peer {
  readonly id: string;
  readonly socket: unknown;
}

const peers = new Map<string, Peer>();

export function peerFor(id: string, socket: unknown): Peer {
  let peer = peers.get(id);
  if (!peer) {
    peer = { id, socket };
    peers.set(id, peer);
  }
  return peer;
}
