// The near miss of no-event-gap.ts: a ping's send time is the start mark and the ack reads the
// elapsed time — an operation (a round trip) timed, the mark not taken over by the reading.
// expect: monitoring/timer-delta 9-14 elim 2 "elapsed time"
export class Heartbeat {
  private sentAt = 0;
  latency = 0;

  send(ws: { send(d: string): void }): void {
    this.sentAt = Date.now();
    ws.send("ping");
  }

  onAck(): void {
    this.latency = Date.now() - this.sentAt;
  }
}
