// A publish batch keeps a running byte total; predicates answer whether the next message fits or
// the batch is full, and the caller publishes when they say so.
// expect: memory/size-accounting 23-26 elim 4 "in another function of its closure"
// expect: memory/size-accounting 30-30 elim 1 "in another function of its closure"
import { calculateMessageSize } from "./message";

interface Message {
  readonly data: Uint8Array;
}

export class MessageBatch {
  private readonly messages: Message[] = [];
  private bytes = 0;
  constructor(private readonly options: { maxBytes: number; maxMessages: number }) {}

  add(message: Message): void {
    this.messages.push(message);
    this.bytes += calculateMessageSize(message);
  }

  canFit(message: Message): boolean {
    const { maxBytes, maxMessages } = this.options;
    return (
      this.messages.length < maxMessages &&
      this.bytes + calculateMessageSize(message) <= maxBytes
    );
  }

  isFull(): boolean {
    return this.bytes >= this.options.maxBytes;
  }
}
