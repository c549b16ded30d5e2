// The program's file watcher drops the memo of cache-invalidate.ts when files change: its reset is
// the program's own invalidation, so it is reported there.
// expect: none
import { onFilesChanged } from "./cache-invalidate.js";

export function watch(on: (event: string, listener: () => void) => void): void {
  on("change", () => onFilesChanged());
}
