import { execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import { cleanupOnExit, stopOnExit } from "./exit-cleanup.js";

/** A checkout of the base revision, measured side by side with the working tree. */
export interface BaseTree {
  /** The checkout's folder (the base command runs here). */
  readonly dir: string;
  /** The commit it holds. */
  readonly commit: string;
  /** Checkouts left behind by runs that were killed, removed before this one was made. */
  readonly pruned: readonly string[];
  /**
   * The base checkout's counterpart of a path in the working tree.
   * @param path - an absolute path inside the working tree
   * @returns the same path inside the checkout
   */
  locate(path: string): string;
  /** Removes the checkout, its temporary folder and its registration in the repository. */
  dispose(): void;
}

/** Temporary folders of base checkouts start with this; each holds `owner.json` and `tree/`. */
const PREFIX = "bench-gate-base-";

/** Who made a checkout: the process, and the repository it is registered in. */
interface Owner {
  readonly pid: number;
  readonly repo: string;
}

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // someone else's process
  }
}

/** Removes a checkout folder and unregisters it from its repository (each step best effort). */
function removeCheckout(holder: string, repo: string | undefined): void {
  const tree = join(holder, "tree");
  if (repo !== undefined && existsSync(repo)) {
    try {
      git(["worktree", "remove", "--force", tree], repo);
    } catch {
      // not registered (any more), or the repository is gone: the folder is removed below
    }
  }
  rmSync(holder, { recursive: true, force: true });
  if (repo !== undefined && existsSync(repo)) {
    try {
      git(["worktree", "prune"], repo);
    } catch {
      // a repository that cannot be pruned keeps a stale entry; `git worktree prune` fixes it
    }
  }
}

/**
 * Removes base checkouts whose run was killed before it could clean up (SIGKILL, a crash, a power
 * cut): folders `bench-gate-base-*` in the temporary directory whose owning process is gone, with
 * their git worktree registrations; and empty ones left by older versions.
 * @returns the folders removed
 */
export function pruneStaleCheckouts(): string[] {
  const removed: string[] = [];
  const temp = tmpdir();
  for (const name of readdirSync(temp)) {
    if (!name.startsWith(PREFIX)) continue;
    const holder = join(temp, name);
    try {
      const entries = readdirSync(holder);
      if (entries.length === 0) {
        rmSync(holder, { recursive: true, force: true });
        removed.push(holder);
        continue;
      }
      if (!entries.includes("owner.json")) continue; // not ours to judge
      const owner = JSON.parse(readFileSync(join(holder, "owner.json"), "utf8")) as Owner;
      if (alive(owner.pid)) continue;
      removeCheckout(holder, owner.repo);
      removed.push(holder);
    } catch {
      // unreadable or vanished meanwhile (another run pruning it): leave it
    }
  }
  return removed;
}

/** Runs `--setup` in the checkout; a child process that a signal's clean-up stops too. */
function runSetup(setup: string, dir: string, ref: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", setup], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
      detached: true, // its own process group: the clean-up stops the commands it started too
    });
    stopOnExit(child, true);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new PerflayerConfigError(
            "ERR_USAGE",
            `--setup failed in the base checkout of ${ref} (exit ${signal ?? String(code)}): ${
              stderr.trim().split("\n").slice(-3).join(" | ") || "no error output"
            }`,
          ),
        );
    });
  });
}

/**
 * Checks out `ref` into a temporary git worktree (detached, outside the repository) and runs
 * `setup` there (e.g. `pnpm install --frozen-lockfile && pnpm build`), so one command can be
 * measured on the base revision and on the working tree in the same run. The checkout is removed
 * by `dispose()`, and on every other way out: an exception, the process exiting, SIGINT, SIGTERM
 * or SIGHUP. Checkouts of earlier runs that were killed outright are pruned first.
 * @param ref - a branch, tag or commit of the repository at `cwd`
 * @param cwd - a folder inside the repository
 * @param setup - a shell command to prepare the checkout, if any
 * @returns the checkout; call `dispose()` when done
 */
export async function checkoutBase(ref: string, cwd: string, setup?: string): Promise<BaseTree> {
  let commit: string;
  let top: string;
  try {
    top = git(["rev-parse", "--show-toplevel"], cwd);
    commit = git(["rev-parse", "--verify", `${ref}^{commit}`], cwd);
  } catch (error) {
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `--base-ref: "${ref}" is not a commit of a git repository at ${cwd} (${String((error as { stderr?: string }).stderr ?? error).trim()}). Pass a branch, tag or commit hash.`,
    );
  }
  const pruned = pruneStaleCheckouts();
  const holder = mkdtempSync(join(tmpdir(), PREFIX));
  const dir = join(holder, "tree");
  const release = cleanupOnExit(() => removeCheckout(holder, top));
  const dispose = (): void => {
    release();
    removeCheckout(holder, top);
  };
  try {
    writeFileSync(
      join(holder, "owner.json"),
      JSON.stringify({ pid: process.pid, repo: top } satisfies Owner),
    );
    git(["worktree", "add", "--detach", dir, commit], top);
    if (setup !== undefined) await runSetup(setup, dir, ref);
  } catch (error) {
    dispose();
    throw error;
  }
  return {
    dir,
    commit,
    pruned,
    dispose,
    locate: (path) => join(dir, relative(top, existsSync(path) ? realpathSync(path) : path)),
  };
}
