// Message tallies kept as public fields of a protocol handler that does much else; a stats
// accessor in another module reads them. Nothing in the class reads them back. Counted in two
// methods a few lines apart, they are one set of statistics: one finding.
// expect: monitoring/counter 8-26 elim 4 "public fields read only outside their class"
type Handler = (data: Uint8Array) => void;

export class Protocol {
  inMsgs = 0;
  outMsgs = 0;
  readonly subscriptions = new Map<number, Handler>();
  closed = false;

  subscribe(sid: number, handler: Handler): void {
    this.subscriptions.set(sid, handler);
  }

  onMessage(sid: number, data: Uint8Array): void {
    if (this.closed) return;
    this.inMsgs++;
    this.subscriptions.get(sid)?.(data);
  }

  publish(data: Uint8Array, write: Handler): void {
    if (this.closed)
      throw new Error("Expected an open connection, got a closed one. Reconnect first.");
    this.outMsgs++;
    write(data);
  }

  unsubscribe(sid: number): void {
    this.subscriptions.delete(sid);
  }

  close(): void {
    this.closed = true;
    this.subscriptions.clear();
  }

  isClosed(): boolean {
    return this.closed;
  }
}
