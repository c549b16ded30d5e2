import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkout } from "../corpus/checkouts.js";
import type { RepoLabels } from "../corpus/labels.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system's temporary folder, removed after the test. */
function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  })
    .toString("utf8")
    .trim();
}

/** A checkouts folder with one repository `o/r` whose commit has `src/a.js` and `src/big.snap`. */
function mirror(): { checkouts: string; commit: string; repo: string } {
  const checkouts = scratch("corpus-checkouts-");
  const repo = join(checkouts, "o+r");
  mkdirSync(join(repo, "src"), { recursive: true });
  git(repo, "init", "-q");
  writeFileSync(join(repo, "src", "a.js"), "export const a = 1;\n");
  writeFileSync(join(repo, "src", "big.snap"), "snapshot that the mirror did not keep\n");
  git(repo, "add", ".");
  git(repo, "commit", "-qm", "one");
  return { checkouts, commit: git(repo, "rev-parse", "HEAD"), repo };
}

function labelsFor(commit: string): RepoLabels {
  return {
    repo: "o/r",
    commit,
    split: "tuning",
    scope: ["src/"],
    excluded: [],
    positives: [],
    negatives: [],
  };
}

describe("a corpus checkout", () => {
  it("extracts the scope at the pinned commit", () => {
    const { checkouts, commit } = mirror();
    const cache = scratch("corpus-cache-");
    const got = checkout(labelsFor(commit), checkouts, cache);
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(readFileSync(join(got.root, "src", "a.js"), "utf8")).toContain("export const a");
    expect(existsSync(join(got.root, ".missing"))).toBe(false);
  });

  it("leaves out a blob the mirror lacks, names it in .missing and extracts the rest", () => {
    const { checkouts, commit, repo } = mirror();
    const sha = git(repo, "rev-parse", `${commit}:src/big.snap`);
    rmSync(join(repo, ".git", "objects", sha.slice(0, 2), sha.slice(2)));
    const cache = scratch("corpus-cache-");
    const got = checkout(labelsFor(commit), checkouts, cache);
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(readFileSync(join(got.root, "src", "a.js"), "utf8")).toContain("export const a");
    expect(existsSync(join(got.root, "src", "big.snap"))).toBe(false);
    expect(readFileSync(join(got.root, ".missing"), "utf8")).toBe("src/big.snap\n");
  });
});
