// expect: none
// Look-alikes of a wire-size limit: a frame's length refused as invalid, a name's encoded length
// checked against a protocol field's maximum, a declared content length, a progress figure, a
// stream's high-water mark, a choice of form by serialized length, one message routed elsewhere
// when too large (also one holding lists), a path refused, a share of a size, the bytes left to
// read, and a chunk cut into pieces at the bound.
const MAX_FRAME_SIZE = 16 * 1024 * 1024;
const MAX_TOPIC_BYTES = 4096;

export function checkFrame(frame: Uint8Array): void {
  if (frame.length > MAX_FRAME_SIZE) throw new RangeError("frame too large");
}

export function checkTopic(topic: string): void {
  if (new TextEncoder().encode(topic).length > MAX_TOPIC_BYTES) {
    throw new Error("topic too long");
  }
}

export function fitsLengthField(name: string): boolean {
  if (Buffer.byteLength(name) > 0xffff) return false;
  return true;
}

export function tooLarge(headers: Record<string, string>, limit: number): boolean {
  return Number(headers["content-length"]) > limit;
}

export function progress(loaded: number, total: number): string {
  return `${String(Math.round((loaded / total) * 100))}%`;
}

export class LineWriter {
  private readonly pending: string[] = [];
  constructor(private readonly highWaterMark: number) {}

  write(line: string, drain: () => void): void {
    this.pending.push(line);
    if (Buffer.byteLength(line) >= this.highWaterMark) drain();
  }
}

export function pickForm(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length > 2048 ? "compressed" : "plain";
}

// One message too large for the queue goes to object storage instead: one value in hand routed
// elsewhere, nothing bounded.
const QUEUE_MESSAGE_LIMIT = 256 * 1024;

export async function sendMessage(
  body: Record<string, unknown>,
  queue: (text: string) => Promise<void>,
  store: (text: string) => Promise<string>,
): Promise<void> {
  let text = JSON.stringify(body);
  if (Buffer.byteLength(text) > QUEUE_MESSAGE_LIMIT) {
    const key = await store(text);
    text = JSON.stringify({ ref: key });
  }
  await queue(text);
}

// A request path's encoded length over a configured maximum is reported and refused.
export function checkPath(path: string, maxPathLength: number, report: (e: Error) => void): void {
  const pathBytes = new TextEncoder().encode(path).length;
  if (pathBytes > maxPathLength) {
    const error = new Error(`path of ${String(pathBytes)} bytes exceeds ${String(maxPathLength)}`);
    report(error);
    throw error;
  }
}

// A message whose fields hold lists is still one message: routed elsewhere when too large.
export async function sendTagged(
  event: string,
  tags: readonly { key: string; value: string }[],
  queue: (text: string) => Promise<void>,
  store: (text: string) => Promise<string>,
): Promise<void> {
  const text = JSON.stringify({ event, tags: tags.map((t) => `${t.key}=${t.value}`) });
  if (Buffer.byteLength(text) > QUEUE_MESSAGE_LIMIT) {
    await queue(JSON.stringify({ ref: await store(text) }));
    return;
  }
  await queue(text);
}

// A share of the payload's bytes over a fraction is only logged.
const WARN_FRACTION = 0.5;
export function reportShare(part: number, sections: readonly object[]): void {
  const totalBytes = Buffer.byteLength(JSON.stringify(sections));
  if (part / totalBytes > WARN_FRACTION) console.warn("one section dominates the payload");
}

// Whether enough bytes remain to read the amount asked for: framing.
export class Reader {
  private offset = 0;
  constructor(private readonly buffer: Uint8Array) {}

  canRead(length: number): boolean {
    return Buffer.byteLength(this.buffer) - this.offset >= length;
  }
}

// A chunk cut at the most a window may pass, the rest handed on next: pieces framed at a size.
export function nextPiece(chunk: Buffer, maxPiece: number, later: (rest: Buffer) => void): Buffer {
  const size = Buffer.byteLength(chunk);
  if (size > maxPiece) {
    later(chunk.subarray(maxPiece));
    return chunk.subarray(0, maxPiece);
  }
  return chunk;
}
