// A stream argument defaulted when the caller gave none: the parameter lives for one call, so
// nothing is kept by the closure that returns the normaliser.
// expect: none
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";

export function normalizeArgs(defaults: { path: string }) {
  return function normalize(opts: { path?: string } = {}, stream?: Writable) {
    if (!stream) {
      stream = createWriteStream(opts.path ?? defaults.path, { flags: "a" });
    }
    return { opts, stream };
  };
}
