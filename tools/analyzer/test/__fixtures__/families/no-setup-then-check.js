// A field normalised first and then validated, the error naming it: set-up, not a memo.
// expect: none
export class Sender {
  send(envelope, callback) {
    this.envelope = envelope || {};
    this.envelope.from = String(this.envelope.from || "").trim();
    if (this.envelope.from && /[\r\n<>]/.test(this.envelope.from)) {
      return callback(new Error(`Invalid sender ${JSON.stringify(this.envelope.from)}`));
    }
    return callback(null, this.envelope);
  }
}
