// arch-check as users run it: the real bin in a child process (from source).
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { packageVersion, runBin } from "@perflayer/toolkit";

const BIN = join(import.meta.dirname, "..", "bin", "arch-check.js");
const VERSION = packageVersion(import.meta.url);
/** The bin runs from source, as built code would run. */
const source = { execArgv: inject("sourceExecArgv") };

/** A copy of the fixture workspace that has one violation of each rule. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "arch-bin-"));
  cpSync(join(import.meta.dirname, "__fixtures__", "violations"), dir, { recursive: true });
  return dir;
}

describe("arch-check: the bin", () => {
  it("prints its version and a command's own help, and answers mistakes in one line with a did-you-mean (exit 2)", async () => {
    const dir = workspace();
    const [version, short, help, command, flag] = await Promise.all(
      [["--version"], ["-v"], ["doc", "--help"], ["dcc"], ["--formt", "json"]].map((args) =>
        runBin(BIN, args, { ...source, cwd: dir }),
      ),
    );
    expect(version).toMatchObject({ code: 0, stdout: `arch-check ${VERSION}\n` });
    expect(short).toMatchObject({ code: 0, stdout: `arch-check ${VERSION}\n` });
    expect(help?.stdout).toContain("Usage: arch-check doc [--check] [--out PROJECT_STRUCTURE.md]");
    expect(help?.stdout).not.toContain("--warnings-fail"); // the check's flag, not doc's
    expect(command).toMatchObject({
      code: 2,
      stderr:
        'arch-check: ERR_USAGE: Unknown command "dcc"; did you mean "doc"? See arch-check --help.\n',
    });
    expect(flag).toMatchObject({
      code: 2,
      stderr:
        "arch-check: ERR_USAGE: Unknown flag --formt; did you mean --format? See arch-check --help.\n",
    });
  }, 600_000);

  it("reports --out at a folder or in a missing folder as a usage error naming the path; --mkdir creates folders", async () => {
    const dir = workspace();
    const [folder, missing, made] = await Promise.all(
      [
        ["--no-cache", "--out", "packages"],
        ["doc", "--no-cache", "--out", "docs/new/STRUCTURE.md"],
        ["doc", "--no-cache", "--out", "docs/made/STRUCTURE.md", "--mkdir"],
      ].map((args) => runBin(BIN, args, { ...source, cwd: dir })),
    );
    expect(folder).toMatchObject({
      code: 2,
      stderr: `arch-check: ERR_OUT: Cannot write --out ${join(dir, "packages")}: it is a folder, not a file. Pass a file path, not a folder.\n`,
    });
    expect(missing?.code).toBe(2);
    expect(missing?.stderr).toContain(`the folder ${join(dir, "docs/new")} does not exist`);
    expect(made?.code).toBe(0);
    expect(existsSync(join(dir, "docs/made/STRUCTURE.md"))).toBe(true);
    expect(existsSync(join(dir, "docs/new"))).toBe(false);
  }, 600_000);

  it("colours severities when FORCE_COLOR asks, never when NO_COLOR does or output is piped", async () => {
    const dir = workspace();
    const [forced, none, piped] = await Promise.all([
      runBin(BIN, ["--no-cache"], { ...source, cwd: dir, env: { FORCE_COLOR: "1" } }),
      runBin(BIN, ["--no-cache"], { ...source, cwd: dir, env: { NO_COLOR: "1" } }),
      runBin(BIN, ["--no-cache"], { ...source, cwd: dir }),
    ]);
    expect(forced.code).toBe(1);
    expect(forced.stdout).toContain("\u001b[1m\u001b[31merror  \u001b[39m\u001b[22m");
    expect(forced.stdout).toContain("\u001b[1m\u001b[33mwarning\u001b[39m\u001b[22m");
    for (const plain of [none, piped]) {
      expect(plain.stdout).toContain("  error   packages/app/src/index.ts:3 arch/layer");
      expect(plain.stdout).not.toContain("\u001b[");
    }
  }, 600_000);
});
