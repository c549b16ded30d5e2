// Near miss: the end stamp is further up than the delta's neighbours (other work between), so it
// stays apart from the delta; only the delta's line is the timer's there.
// expect: monitoring/timer-delta 15-15 elim 1 "elapsed time `this.lastAck - this.lastSe"
// expect: monitoring/timer-delta 19-19 elim 1 "start mark `this.lastSend = Date.now();`"
export class Tracker {
  lastAck = 0;
  lastSend = 0;
  ping: number | undefined;

  onAck(queue: string[], flush: () => void, emit: (n: number) => void): void {
    this.lastAck = Date.now();
    queue.length = 0;
    flush();
    emit(queue.length);
    this.ping = this.lastAck - this.lastSend;
  }

  send(write: () => void): void {
    this.lastSend = Date.now();
    write();
  }
}
