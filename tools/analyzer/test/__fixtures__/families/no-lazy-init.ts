// Lazy module loading kept forever (left out by the labelling convention).
// expect: none
let highlighter: Promise<typeof import("node:zlib")> | undefined;
export function zlib(): Promise<typeof import("node:zlib")> {
  highlighter ??= import("node:zlib");
  return highlighter;
}
