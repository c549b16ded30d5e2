// Near miss: the getter also works out the rest of a status line; only the delta line is timing.
// expect: monitoring/timer-delta 7-8 elim 1 "elapsed time `Date.now() - this.readyTimestamp`"
// expect: monitoring/timer-delta 13-13 elim 1 "start mark `this.readyTimestamp = Date.now();`"
export class Client {
  get status() {
    const shards = this.shards.map((s) => s.id).join(",");
    const up = Date.now() - this.readyTimestamp;
    return `${shards} up ${up}`;
  }

  login(ws) {
    this.ws = ws;
    this.readyTimestamp = Date.now();
  }

  destroy() {
    this.ws.close();
  }
}
