// Near miss of size-accounting.js: chunks copied into one buffer at a write position that is
// compared with a read position — a cursor under a compound name, not a total kept under a limit.
// expect: none
export function* frames(chunks: Iterable<Uint8Array>, scratch: Uint8Array): Generator<Uint8Array> {
  let dataStart = 0;
  let dataEnd = 0;
  for (const chunk of chunks) {
    scratch.set(chunk, dataEnd);
    dataEnd += chunk.length;
    const newline = scratch.subarray(dataStart, dataEnd).indexOf(10);
    if (newline >= 0) {
      yield scratch.slice(dataStart, dataStart + newline);
      dataStart += newline + 1;
    }
  }
  if (dataEnd > dataStart) yield scratch.slice(dataStart, dataEnd);
}
