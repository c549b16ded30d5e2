// A send queue bounded in bytes: each message's size is checked against the budget before it is
// added, and the total is lowered when the queue drains.
// expect: memory/size-accounting 12-16 elim 4 "running size `this.#queuedBytes`"
export class SendQueue {
  readonly #queue: Uint8Array[] = [];
  #queuedBytes = 0;

  constructor(private readonly maxBytes: number) {}

  enqueue(message: Uint8Array): boolean {
    const messageBytes = message.byteLength;
    if (this.#queuedBytes + messageBytes > this.maxBytes && this.#queue.length > 0) {
      return false;
    }
    this.#queue.push(message);
    this.#queuedBytes += messageBytes;
    return true;
  }

  drain(send: (data: Uint8Array) => void): void {
    for (const message of this.#queue.splice(0)) send(message);
    this.#queuedBytes = 0;
  }
}
