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
  try {
    const tar = execFileSync(
      "git",
      ["--git-dir", gitDir, "archive", labels.commit, "--", ...pathspecs],
      {
        maxBuffer: 1 << 30,
        // A mirror may lack large blobs outside the scope; git names them on stderr and goes on.
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    execFileSync("tar", ["x", "-C", partial], { input: tar });
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    return { ok: false, reason: `git archive failed: ${(error as Error).message.split("\n")[0]}` };
  }
  writeFileSync(join(partial, ".complete"), `${labels.commit}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  return { ok: true, root: target, from: gitDir };
}
