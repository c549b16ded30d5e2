import { spawnSync } from "node:child_process";

/**
 * Lints an exposition with `promtool check metrics`. Under CI promtool must be installed (.ci/run
 * installs it); on a machine without it the lint is skipped with a note.
 * @param text - the exposition
 * @returns promtool's output (empty when clean) and exit status, or undefined without promtool
 */
export function promtoolCheck(text: string): { output: string; status: number | null } | undefined {
  if (spawnSync("promtool", ["--version"]).status !== 0) {
    if (process.env["CI"] !== undefined)
      throw new Error("promtool is missing: .ci/run installs it (apt-get install prometheus)");
    console.warn("promtool not installed locally; the exposition lint runs in CI");
    return undefined;
  }
  const result = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  return { output: result.stderr + result.stdout, status: result.status };
}
