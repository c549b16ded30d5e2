// Preloaded into a CLI run (`--import`): at exit, prints on stderr the modules of TypeScript and
// ts-morph that the run loaded (both are CommonJS, so they are in the require cache once loaded).
import { createRequire } from "node:module";

const loaded = createRequire(import.meta.url).cache;
process.on("exit", () => {
  const parser = Object.keys(loaded).filter((path) =>
    /[\\/]node_modules[\\/](typescript|ts-morph|@ts-morph)[\\/]/.test(path),
  );
  process.stderr.write(`parser modules loaded: ${JSON.stringify(parser)}\n`);
});
