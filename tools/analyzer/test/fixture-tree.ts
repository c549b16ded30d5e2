// What the analyzer's tests share: a throw-away project tree, a hand-rolled TTL cache and a
// handler to copy (clone detection).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Writes files into a fresh temporary folder.
 * @param files - relative path → content
 * @returns the folder
 */
export function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "perflayer-analyze-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A hand-rolled TTL cache (a shape-family fixture). */
export const TTL: string = readFileSync(
  join(import.meta.dirname, "__fixtures__", "families", "ttl-cache.ts"),
  "utf8",
);

/**
 * A request handler of 60+ tokens over 6+ lines, to copy.
 * @param name - the function's name
 * @returns its source
 */
export const handler = (name: string): string => `
export async function ${name}(request: { id: string }, db: { find(id: string): Promise<unknown> }) {
  const record = await db.find(request.id);
  if (record === undefined) {
    throw new Error("not found: " + request.id);
  }
  const payload = JSON.stringify({ ok: true, data: record, at: "now" });
  const headers = { "content-type": "application/json", "cache-control": "no-store" };
  return { status: 200, headers, body: payload, length: payload.length };
}
`;
