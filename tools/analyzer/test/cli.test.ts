// perflayer-analyze as users run it: the real bin in a child process (from source).
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { packageVersion, runBin } from "@perflayer/toolkit";

const BIN = join(import.meta.dirname, "..", "bin", "perflayer-analyze.js");
const VERSION = packageVersion(import.meta.url);
/** The bin runs from source, as built code would run. */
const source = { execArgv: inject("sourceExecArgv") };

/** A project with one hand-rolled TTL cache. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "analyze-bin-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(
    join(dir, "src", "cache.js"),
    "const cache = new Map();\nexport function get(k, load) {\n  const hit = cache.get(k);\n  if (hit && hit.expires > Date.now()) return hit.value;\n  const value = load(k);\n  cache.set(k, { value, expires: Date.now() + 1000 });\n  return value;\n}\n",
  );
  return dir;
}

describe("perflayer-analyze: the bin", () => {
  it("prints its version, and answers an unknown flag in one line with a did-you-mean (exit 2)", async () => {
    const dir = project();
    const [version, flag] = await Promise.all(
      [["--version"], ["src", "--formt", "json"]].map((args) =>
        runBin(BIN, args, { ...source, cwd: dir }),
      ),
    );
    expect(version).toMatchObject({ code: 0, stdout: `perflayer-analyze ${VERSION}\n` });
    expect(flag).toMatchObject({
      code: 2,
      stderr:
        "perflayer-analyze: ERR_USAGE: Unknown flag --formt; did you mean --format? See perflayer-analyze --help.\n",
    });
  }, 600_000);

  it("reports --out at a folder or in a missing folder as a usage error naming the path; --mkdir creates folders", async () => {
    const dir = project();
    const [folder, missing, made] = await Promise.all(
      [
        ["src", "--no-cache", "--quiet", "--out", "src"],
        ["src", "--no-cache", "--quiet", "--out", "reports/r.json"],
        ["src", "--no-cache", "--json", "--out", "made/r.json", "--mkdir"],
      ].map((args) => runBin(BIN, args, { ...source, cwd: dir })),
    );
    expect(folder).toMatchObject({
      code: 2,
      stderr: `perflayer-analyze: ERR_OUT: Cannot write --out ${join(dir, "src")}: it is a folder, not a file. Pass a file path, not a folder.\n`,
    });
    expect(missing?.code).toBe(2);
    expect(missing?.stderr).toContain(`the folder ${join(dir, "reports")} does not exist`);
    expect(made?.code).toBe(0);
    expect(existsSync(join(dir, "made", "r.json"))).toBe(true);
    expect(existsSync(join(dir, "reports"))).toBe(false);
  }, 600_000);

  it("colours findings by severity when FORCE_COLOR asks, never when output is piped", async () => {
    // (NO_COLOR, TERM=dumb and a terminal are decided by the toolkit's colorEnabled: its tests.)
    const dir = project();
    const [forced, piped] = await Promise.all([
      runBin(BIN, ["src", "--no-cache"], { ...source, cwd: dir, env: { FORCE_COLOR: "1" } }),
      runBin(BIN, ["src", "--no-cache"], { ...source, cwd: dir }),
    ]);
    expect(forced.stdout).toContain(
      " cache.js:1-6 \u001b[1m\u001b[33mcaching/ttl-cache\u001b[39m\u001b[22m (",
    );
    expect(piped.stdout).toContain(" cache.js:1-6 caching/ttl-cache (");
    expect(piped.stdout).not.toContain("\u001b[");
  }, 600_000);
});
