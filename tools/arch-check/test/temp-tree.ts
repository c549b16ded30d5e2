import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A fresh temporary folder and a writer of files into it. */
export function tempTree(prefix: string): {
  dir: string;
  write: (path: string, text: string | Uint8Array) => void;
} {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const write = (path: string, text: string | Uint8Array): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  return { dir, write };
}
