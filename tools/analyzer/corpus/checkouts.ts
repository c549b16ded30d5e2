// Where a labelled repository's code comes from: a folder of checkouts or bare mirrors, extracted at
// the pinned commit into a cache folder outside git.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RepoLabels } from "./labels.js";

/** The code of one repository at its pinned commit, or why it could not be had. */
export type Checkout =
  | { readonly ok: true; readonly root: string; readonly from: string }
  | { readonly ok: false; readonly reason: string };

function isGitDir(dir: string): boolean {
  return existsSync(join(dir, "HEAD")) && existsSync(join(dir, "objects"));
}

/** The git directory for a repository in the checkouts folder, in any of the supported layouts. */
function gitDirFor(checkouts: string, repo: string): string | undefined {
  const [owner, name] = repo.split("/") as [string, string];
  for (const folder of [`${owner}+${name}`, name, `${owner}/${name}`]) {
    const base = join(checkouts, folder);
    if (!existsSync(base)) continue;
    // Bare mirror (`<owner>+<name>/repo`), a bare folder itself, or a work tree with `.git`.
    for (const candidate of [join(base, "repo"), base, join(base, ".git")])
      if (existsSync(candidate) && statSync(candidate).isDirectory() && isGitDir(candidate))
        return candidate;
  }
  return undefined;
}

function hasFile(gitDir: string, commit: string, path: string): boolean {
  try {
    execFileSync("git", ["--git-dir", gitDir, "cat-file", "-e", `${commit}:${path}`], {
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
}

/** Paths of blobs the commit's tree names but the mirror does not hold. */
function missingBlobs(gitDir: string, commit: string): string[] {
  const tree = execFileSync("git", ["--git-dir", gitDir, "ls-tree", "-r", "-z", commit], {
    maxBuffer: 1 << 30,
  }).toString("utf8");
  const paths = new Map<string, string[]>();
  for (const entry of tree.split("\0")) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (match === null) continue;
    const [, sha, path] = match as unknown as [string, string, string];
    const list = paths.get(sha);
    if (list === undefined) paths.set(sha, [path]);
    else list.push(path);
  }
  const check = execFileSync("git", ["--git-dir", gitDir, "cat-file", "--batch-check"], {
    input: [...paths.keys()].join("\n") + "\n",
    maxBuffer: 1 << 30,
  }).toString("utf8");
  const missing: string[] = [];
  for (const line of check.split("\n")) {
    const [sha, what] = line.split(" ");
    if (what === "missing" && sha !== undefined) missing.push(...(paths.get(sha) ?? []));
  }
  return missing;
}

/**
 * Gets a repository's scope at its pinned commit: `git archive <commit> <scope…> .gitignore` from the mirror
 * or checkout in `checkouts`, extracted once into `cacheDir/<owner>+<name>@<commit>/`.
 * @param labels - the repository's labels (repo, commit, scope)
 * @param checkouts - folder of checkouts or bare mirrors
 * @param cacheDir - where extracted trees are kept
 * @returns the extracted root, or the reason it is not reachable
 */
export function checkout(labels: RepoLabels, checkouts: string, cacheDir: string): Checkout {
  const [owner, name] = labels.repo.split("/") as [string, string];
  const target = join(cacheDir, `${owner}+${name}@${labels.commit}`);
  if (existsSync(join(target, ".complete"))) return { ok: true, root: target, from: "cache" };
  const gitDir = gitDirFor(checkouts, labels.repo);
  if (gitDir === undefined)
    return {
      ok: false,
      reason: `no checkout or mirror in ${checkouts} (looked for ${owner}+${name}/repo, ${owner}+${name}, ${name})`,
    };
  try {
    execFileSync("git", ["--git-dir", gitDir, "cat-file", "-e", `${labels.commit}^{commit}`], {
      stdio: "ignore",
    });
  } catch {
    return { ok: false, reason: `commit ${labels.commit.slice(0, 12)} is not in ${gitDir}` };
  }
  const partial = `${target}.part`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const pathspecs = labels.scope.map((s) => (s.includes("*") ? `:(glob)${s}**` : s));
  // The root `.gitignore` comes along: the walker reads it as it would in a user's checkout (a
  // negative rule there is what opens a `node_modules` folder that holds the project's sources).
  if (hasFile(gitDir, labels.commit, ".gitignore")) pathspecs.push(".gitignore");
  const archive = (specs: readonly string[]): void => {
    const tar = execFileSync(
      "git",
      ["--git-dir", gitDir, "archive", labels.commit, "--", ...specs],
      {
        maxBuffer: 1 << 30,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    execFileSync("tar", ["x", "-C", partial], { input: tar });
  };
  let skipped: string[] = [];
  try {
    archive(pathspecs);
  } catch (error) {
    // A mirror may lack blobs (large test snapshots, LFS files): git archive stops at the first. Those
    // files are left out and named in `.missing`; what the scope holds is still extracted.
    skipped = missingBlobs(gitDir, labels.commit);
    try {
      if (skipped.length === 0) throw error;
      archive([...pathspecs, ...skipped.map((path) => `:(exclude,literal)${path}`)]);
    } catch (again) {
      rmSync(partial, { recursive: true, force: true });
      return {
        ok: false,
        reason: `git archive failed: ${(again as Error).message.split("\n")[0]}`,
      };
    }
  }
  if (skipped.length > 0) writeFileSync(join(partial, ".missing"), `${skipped.join("\n")}\n`);
  writeFileSync(join(partial, ".complete"), `${labels.commit}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  return { ok: true, root: target, from: gitDir };
}
