// The acknowledgement is stamped into a field just above the delta that reads it: the end mark, the
// delta and the sink are one measurement; the start mark lives in another method.
// expect: monitoring/timer-delta 13-15 elim 2 "elapsed time `this.lastAck - this.lastSe"
// expect: monitoring/timer-delta 21-21 elim 1 "start mark `this.lastSend = Date.now();`"
export class VoiceSocket {
  lastAck = 0;
  lastSend = 0;
  missed = 0;
  ping: number | undefined;

  onPacket(op: number, emit: (p: number) => void): void {
    if (op === 6) {
      this.lastAck = Date.now();
      this.missed = 0;
      this.ping = this.lastAck - this.lastSend;
    }
    emit(op);
  }

  heartbeat(send: () => void): void {
    this.lastSend = Date.now();
    send();
  }
}
