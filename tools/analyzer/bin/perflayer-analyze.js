#!/usr/bin/env node
// Thin shim (STYLE rule 12): the CLI lives in the library; only this file sets the exit code.
import module from "node:module";

// Node ≥ 22.1 keeps the compiled code of the modules (ts-morph's TypeScript above all) on disk
// between runs (`NODE_DISABLE_COMPILE_CACHE=1` turns it off); node 20 has no such cache. The
// library is imported after, so that its modules are served from the cache.
module.enableCompileCache?.();
const { processIo } = await import("@perflayer/toolkit");
// The CLI's module, not the package's entry: the entry exports `DETECTORS` and `tokenize`, which
// load TypeScript; the CLI loads it only when a file must be parsed (a warm run never does).
const { run } = await import("#cli");
process.exitCode = await run(process.argv.slice(2), processIo());
