// A serial request channel: the slot holding the reply handler of the one request in flight is
// tested by truthiness, later requests wait in a list, and the next is taken when a reply ends
// the current one.
// expect: response/concurrency-limit 5-31 elim 25 "holds the task in progress: one runs at a time"
export class Channel {
  constructor(send) {
    this.send = send;
    this.current = null;
    this.waiting = [];
  }

  request(message, onReply) {
    if (!this.current) {
      this.current = onReply;
      this.send(message);
    } else {
      this.waiting.push({ message, onReply });
    }
  }

  accept(reply) {
    const handler = this.current;
    this.current = null;
    if (this.waiting.length > 0) {
      const next = this.waiting.shift();
      this.current = next.onReply;
      this.send(next.message);
    }
    handler(reply);
  }
}
