import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fresh git repository whose one commit holds `files`.
 * @param files - file name → content
 * @returns its folder and a git runner there
 */
export function gitRepository(files: Readonly<Record<string, string>>): {
  dir: string;
  git: (...args: string[]) => string;
} {
  const dir = mkdtempSync(join(tmpdir(), "bench-gate-git-"));
  const git = (...args: string[]): string =>
    execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
  git("init", "-q");
  git("config", "user.email", "bench@example.com");
  git("config", "user.name", "bench");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  git("add", ".");
  git("commit", "-q", "-m", "base");
  return { dir, git };
}
