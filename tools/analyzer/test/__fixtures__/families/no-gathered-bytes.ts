// Bytes of the chunks a stream gives, summed under a name of its own to concatenate them once.
// expect: none
import type { Readable } from "node:stream";

export function compress(stream: Readable, done: (body: Buffer) => void): void {
  const buffers: Buffer[] = [];
  let nread = 0;
  stream.on("data", (chunk: Buffer) => {
    buffers.push(chunk);
    nread += chunk.length;
  });
  stream.on("end", () => done(Buffer.concat(buffers, nread)));
}
