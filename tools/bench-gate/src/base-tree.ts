import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";

/** A checkout of the base revision, measured side by side with the working tree. */
export interface BaseTree {
  /** The checkout's folder (the base command runs here). */
  readonly dir: string;
  /** The commit it holds. */
  readonly commit: string;
  /**
   * The base checkout's counterpart of a path in the working tree.
   * @param path - an absolute path inside the working tree
   * @returns the same path inside the checkout
   */
  locate(path: string): string;
  /** Removes the checkout. */
  dispose(): void;
}

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/**
 * Checks out `ref` into a temporary git worktree (detached, outside the repository) and runs
 * `setup` there (e.g. `pnpm install --frozen-lockfile && pnpm build`), so one command can be
 * measured on the base revision and on the working tree in the same run.
 * @param ref - a branch, tag or commit of the repository at `cwd`
 * @param cwd - a folder inside the repository
 * @param setup - a shell command to prepare the checkout, if any
 * @returns the checkout; call `dispose()` when done
 */
export function checkoutBase(ref: string, cwd: string, setup?: string): BaseTree {
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
  const dir = join(mkdtempSync(join(tmpdir(), "bench-gate-base-")), "tree");
  git(["worktree", "add", "--detach", dir, commit], top);
  const dispose = (): void => {
    try {
      git(["worktree", "remove", "--force", dir], top);
    } catch {
      rmSync(dir, { recursive: true, force: true });
      git(["worktree", "prune"], top);
    }
  };
  if (setup !== undefined) {
    try {
      execFileSync("sh", ["-c", setup], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    } catch (error) {
      dispose();
      throw new PerflayerConfigError(
        "ERR_USAGE",
        `--setup failed in the base checkout of ${ref}: ${String(
          (error as { stderr?: Buffer }).stderr ?? error,
        )
          .trim()
          .split("\n")
          .slice(-3)
          .join(" | ")}`,
      );
    }
  }
  return {
    dir,
    commit,
    dispose,
    locate: (path) => join(dir, relative(top, existsSync(path) ? realpathSync(path) : path)),
  };
}
