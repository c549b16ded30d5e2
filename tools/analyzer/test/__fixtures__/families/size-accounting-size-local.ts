// Acknowledgements are batched up to a byte cap: each id's byte size is worked out once into a
// local, the batch flushed first when adding it would go over, then the size added.
// expect: memory/size-accounting 13-17 elim 4 "compared with the limit `MAX_BATCH_BYTES`"
const MAX_BATCH_BYTES = 524_288;

export class AckQueue {
  private bytes = 0;
  private readonly ids: string[] = [];
  constructor(private readonly send: (ids: string[]) => Promise<void>) {}

  async add(ackId: string): Promise<void> {
    const size = Buffer.byteLength(ackId, "utf8");
    if (this.bytes + size >= MAX_BATCH_BYTES) {
      await this.flush();
    }
    this.ids.push(ackId);
    this.bytes += size;
  }

  async flush(): Promise<void> {
    const ids = this.ids.splice(0);
    this.bytes = 0;
    await this.send(ids);
  }
}
