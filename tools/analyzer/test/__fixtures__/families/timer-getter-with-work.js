// Near miss: the getter also works out the rest of a status line; only the delta and the log that
// reports it are timing (the delta is logged: text only returned would be output for users).
// expect: monitoring/timer-delta 8-9 elim 1 "elapsed time `Date.now() - this.readyTimestamp`"
// expect: monitoring/timer-delta 15-15 elim 1 "start mark `this.readyTimestamp = Date.now();`"
export class Client {
  get status() {
    const shards = this.shards.map((s) => s.id).join(",");
    const up = Date.now() - this.readyTimestamp;
    console.debug(`${shards} up ${up}`);
    return shards;
  }

  login(ws) {
    this.ws = ws;
    this.readyTimestamp = Date.now();
  }

  destroy() {
    this.ws.close();
  }
}
