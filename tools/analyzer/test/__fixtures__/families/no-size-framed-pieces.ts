// Near miss of size-accounting-measured-buffer.ts: bytes appended to a list buffer are cut into
// packets of a fixed size while more than one packet is held — framing at a size, not a buffer
// flushed at a limit; and a string scanned up to its length is read, not filled.
// expect: none
interface ByteList {
  append(data: Uint8Array): void;
  slice(start: number, end: number): Uint8Array;
  consume(n: number): void;
  readonly length: number;
}

export function packetize(list: ByteList, data: Uint8Array, size: number): Uint8Array[] {
  const packets: Uint8Array[] = [];
  list.append(data);
  while (list.length > size) {
    packets.push(list.slice(0, size));
    list.consume(size);
  }
  return packets;
}

export function countWords(text: string): number {
  let words = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] === " ") words++;
    i++;
  }
  return words;
}
