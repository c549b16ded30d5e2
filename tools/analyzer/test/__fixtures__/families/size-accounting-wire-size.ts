// Sizes of data in its wire form checked against limits: queued events refused once their
// serialized size passes a limit, a batch predicate over a helper counting encoded KB, and a body
// cut to a byte budget measured as a Blob.
// expect: memory/size-accounting 16-20 elim 5 "a size of the data in its wire form"
// expect: memory/size-accounting 25-28 elim 4 "a helper working out the size of data in its wire form"
// expect: memory/size-accounting 30-32 elim 3 "compared with the limit `MAX_BATCH_KB - 50`"
// expect: memory/size-accounting 34-46 elim 13 "compared with the limit `maxBytes`"
const EVENTS_SIZE_LIMIT = 512 * 1024;
const MAX_BATCH_KB = 450;

export class DelayedEvents {
  private readonly events = new Map<string, object>();

  accept(id: string, event: object): boolean {
    this.events.set(id, event);
    if (JSON.stringify([...this.events.values()]).length > EVENTS_SIZE_LIMIT) {
      console.warn(`event ${id} refused: queued events too large`);
      this.events.delete(id);
      return false;
    }
    return true;
  }
}

function kilobytes(value: unknown): number {
  const bytes = new TextEncoder().encode(JSON.stringify(value)).byteLength;
  return bytes / 1024;
}

export function nearBatchLimit(batch: readonly unknown[]): boolean {
  return kilobytes(batch) >= MAX_BATCH_KB - 50;
}

export function fitBody(body: string, maxBytes: number): { text: string; cut: boolean } {
  if (new Blob([body]).size <= maxBytes) {
    return { text: body, cut: false };
  }
  let lo = 0;
  let hi = Math.min(body.length, maxBytes);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (new Blob([body.slice(0, mid)]).size <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  return { text: body.slice(0, lo), cut: true };
}
