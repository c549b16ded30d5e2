import { readFileSync } from "node:fs";

let rules: { patterns: string[] } | undefined;

export function rulesFrom(path: string): { patterns: string[] } {
  if (!rules) {
    const text = readFileSync(path, "utf8");
    rules = JSON.parse(text) as { patterns: string[] };
  }
  return rules;
}
