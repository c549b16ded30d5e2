// The lookup may find nothing: the Map kept `undefined` (and looked again on the next call); the
// cache refuses to store it.
import { readFileSync } from "node:fs";

const owners = new Map<string, string | undefined>();

export function ownerOf(path: string): string | undefined {
  const hit = owners.get(path);
  if (hit !== undefined) return hit;
  const owner = readFileSync("CODEOWNERS", "utf8")
    .split("\n")
    .find((line) => line.startsWith(path));
  owners.set(path, owner);
  return owner;
}
