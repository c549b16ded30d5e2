// Two Promise.race timeouts in one file: one import, both rewritten.
import { readFile } from "node:fs/promises";

export async function loadConfig(path: string): Promise<string> {
  return Promise.race([
    readFile(path, "utf8"),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("config read timed out")), 2_000),
    ),
  ]);
}

export async function ping(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const ok = await Promise.race([
    check(),
    new Promise<boolean>((resolve, reject) => {
      setTimeout(() => reject(new Error(`ping took longer than ${ms} ms`)), ms);
    }),
  ]);
  return ok;
}
