// The bench-gate CLI as users run it: the real bin in a child process (from source).
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { run, seededRandom } from "@perflayer/bench-gate";
import { memoryIo, packageVersion, runBin, startBin } from "@perflayer/toolkit";
import { gitRepository } from "./git-repository.ts";

const BIN = join(import.meta.dirname, "..", "bin", "bench-gate.js");
const VERSION = packageVersion(import.meta.url);
/** The bin runs from source, as built code would run. */
const source = { execArgv: inject("sourceExecArgv") };

/** A bench-gate results file of 30 samples around `center` (seeded, so every run is the same). */
function results(dir: string, name: string, center: number, seed: number, noise = 0.01): string {
  const random = seededRandom(seed);
  const benchmarks = {
    work: Array.from({ length: 30 }, () => center * (1 + noise * (random() - 0.5))),
  };
  writeFileSync(
    join(dir, name),
    JSON.stringify({
      format: "perflayer-bench-gate/1",
      environment: { node: process.version, cpu: "x", cores: 2, profile: "local" },
      savedAt: "2026-01-01T00:00:00Z",
      benchmarks,
    }),
  );
  return name;
}

function resultsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "bench-gate-bin-"));
  results(dir, "base.json", 100, 1);
  results(dir, "same.json", 100, 2);
  results(dir, "slow.json", 130, 3);
  results(dir, "fast.json", 50, 4);
  results(dir, "short.json", 85, 5); // 1.18× faster: short of 30 %
  results(dir, "near.json", 105, 6, 0.02); // the interval straddles the 5 % threshold
  results(dir, "straddle.json", 76.9, 7, 0.04); // the interval straddles "30 % faster"
  return dir;
}

describe("bench-gate: version, help and mistakes", () => {
  it("prints its version, a command's own help, and answers mistakes in one line with a did-you-mean (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-bin-"));
    const [version, short, help, flag, command, group] = await Promise.all(
      [
        ["--version"],
        ["-v"],
        ["compare", "--help"],
        ["compare", "--base-cmdd", "true"],
        ["comapre"],
        ["baseline", "sve"],
      ].map((args) => runBin(BIN, args, { ...source, cwd: dir })),
    );
    expect(version).toMatchObject({ code: 0, stdout: `bench-gate ${VERSION}\n` });
    expect(short).toMatchObject({ code: 0, stdout: `bench-gate ${VERSION}\n` });
    expect(help?.code).toBe(0);
    expect(help?.stdout).toContain("Usage: bench-gate compare --base-cmd <cmd> --head-cmd <cmd>");
    expect(help?.stdout).toContain("--expect-faster <p>");
    expect(help?.stdout).not.toContain("--samples"); // run's flag, not compare's
    expect(flag).toMatchObject({
      code: 2,
      stdout: "",
      stderr:
        "bench-gate: ERR_USAGE: Unknown flag --base-cmdd; did you mean --base-cmd? See bench-gate compare --help.\n",
    });
    expect(command).toMatchObject({
      code: 2,
      stderr:
        'bench-gate: ERR_USAGE: Unknown command "comapre"; did you mean "compare"? See bench-gate --help.\n',
    });
    expect(group?.stderr).toContain('did you mean "baseline save"?');
  }, 600_000);
});

describe("bench-gate: files", () => {
  it("reports --out at a folder, under a file or in a missing folder as a usage error naming the path; --mkdir creates folders", async () => {
    const dir = resultsDir();
    writeFileSync(join(dir, "file"), "");
    const compare = ["compare", "--base", "base.json", "--head", "same.json"];
    const [folder, underFile, missing, made] = await Promise.all(
      [
        [...compare, "--out", dir],
        [...compare, "--out", "file/r.txt"],
        [...compare, "--out", "new/deeper/r.txt"],
        [...compare, "--out", "made/deeper/r.txt", "--mkdir"],
      ].map((args) => runBin(BIN, args, { ...source, cwd: dir })),
    );
    expect(folder).toMatchObject({
      code: 2,
      stderr: `bench-gate: ERR_OUT: Cannot write --out ${dir}: it is a folder, not a file. Pass a file path, not a folder.\n`,
    });
    expect(underFile?.code).toBe(2);
    expect(underFile?.stderr).toContain(
      `Cannot write --out ${join(dir, "file/r.txt")}: a part of the path is a file, not a folder`,
    );
    expect(missing?.code).toBe(2);
    expect(missing?.stderr).toContain(
      `the folder ${join(dir, "new/deeper")} does not exist. Create it, or pass --mkdir`,
    );
    expect(existsSync(join(dir, "new"))).toBe(false);
    expect(made?.code).toBe(0);
    expect(readFileSync(join(dir, "made/deeper/r.txt"), "utf8")).toContain("no change");
    for (const r of [folder, underFile, missing]) expect(r?.stderr).not.toContain("internal error");
  }, 600_000);

  it("names a suite file that does not exist, without a module-resolution stack", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-bin-"));
    const result = await runBin(BIN, ["run", "nothere.bench.ts"], { ...source, cwd: dir });
    expect(result).toMatchObject({
      code: 2,
      stderr: `bench-gate: ERR_USAGE: No suite file at ${join(dir, "nothere.bench.ts")}. Pass files that export a suite, e.g. bench/*.bench.ts.\n`,
    });
  }, 600_000);
});

describe("bench-gate: exit codes, one per verdict, as documented", () => {
  it("exits 0 on no change, improvement, improvement holds and a plain inconclusive; 1 on a regression, a speed-up that does not hold or is inconclusive, and inconclusive under --strict", async () => {
    const dir = resultsDir();
    const cases: [string[], string, number][] = [
      [["--head", "same.json"], "no change", 0],
      [["--head", "fast.json"], "improvement", 0],
      [["--head", "fast.json", "--expect-faster", "30%"], "IMPROVEMENT HOLDS", 0],
      [["--head", "near.json"], "INCONCLUSIVE", 0],
      [["--head", "slow.json"], "REGRESSION", 1],
      [["--head", "short.json", "--expect-faster", "30%"], "DOES NOT HOLD", 1],
      [["--head", "slow.json", "--expect-faster", "30%"], "REGRESSION", 1],
      [["--head", "straddle.json", "--expect-faster", "30%"], "INCONCLUSIVE", 1],
      [["--head", "near.json", "--strict"], "INCONCLUSIVE", 1],
    ];
    const outcomes = await Promise.all(
      cases.map(([args]) =>
        runBin(BIN, ["compare", "--base", "base.json", ...args], { ...source, cwd: dir }),
      ),
    );
    expect(
      outcomes.map((o) => [
        o.code,
        /(\S.*\S)\n\nwork:/
          .exec(o.stdout)?.[1]
          ?.split(/\s{2,}/)
          .at(-1),
      ]),
    ).toEqual(cases.map(([, label, code]) => [code, label]));
    // The two outcomes that used to share one label now read differently.
    expect(outcomes[5]?.stdout).toContain("the expected speed-up does not hold");
    expect(outcomes[7]?.stdout).toContain("the interval straddles the expected 30.0 % speed-up");
  }, 600_000);

  it("exits 0 on a target met (a missed target exits 1: suites.test.ts)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-bin-"));
    const suite = join(import.meta.dirname, "__fixtures__", "suites", "met-target.bench.ts");
    const met = await runBin(BIN, ["run", suite, "--quick"], { ...source, cwd: dir });
    expect(met.stdout).toMatch(/a twentieth of the time: .* → target met\n/);
    expect(met.code).toBe(0);
  }, 600_000);

  it("exits 1, with the reason, when a command cannot be measured", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-bin-"));
    const result = await runBin(BIN, ["compare", "--base-cmd", "false", "--head-cmd", "true"], {
      ...source,
      cwd: dir,
    });
    expect(result).toMatchObject({
      code: 1,
      stdout: "",
      stderr:
        "bench-gate compare: scenario could not be measured: `false` exited with 1 (it printed nothing on stderr).\n",
    });
  }, 600_000);
});

/** A shell command that reports one self-timed sample of `ms` plus 0–2 ms of random jitter. */
const selfTimed = (ms: number): string =>
  `echo "bench-gate: ms=$((${ms} + $(od -An -N1 -tu1 /dev/urandom) % 3))"`;

describe("bench-gate: reports", () => {
  it("says in text and JSON that a regression was re-measured, and what the re-run found", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-bin-"));
    const args = [
      "compare",
      // Self-timed commands (they print their own sample, 20–22 vs 400–402 ms): what is tested is
      // how a re-measured regression is reported, so the samples must not depend on how fast a
      // busy machine starts `sleep` (20× apart as wall time was still inconclusive at load 50).
      "--base-cmd",
      selfTimed(20),
      "--head-cmd",
      selfTimed(400),
      "--min-samples",
      "8",
      "--max-samples",
      "8",
    ];
    const [json, text] = await Promise.all([
      runBin(BIN, [...args, "--json"], { ...source, cwd: dir }),
      runBin(BIN, args, { ...source, cwd: dir }),
    ]);
    const [result] = JSON.parse(json.stdout) as {
      verdict: { kind: string; explanation: string };
      confirmation?: { kind: string; samples: { base: number } };
    }[];
    expect(result?.verdict.kind).toBe("regression");
    expect(result?.confirmation?.kind).toBe("regression");
    expect(result?.confirmation?.samples.base).toBe(8);
    expect(result?.verdict.explanation).toMatch(/Re-measured from scratch: regression again \(\d/);
    expect(text.stdout).toMatch(/REGRESSION\n[\s\S]*Re-measured from scratch: regression again/);
    expect(json.code).toBe(1);
  }, 600_000);

  it("draws the SVG with axes in the benchmark's unit and the bound the verdict was judged by", async () => {
    const dir = resultsDir();
    const result = await runBin(
      BIN,
      ["compare", "--base", "base.json", "--head", "short.json", "--expect-faster", "30%"],
      { ...source, cwd: dir },
    );
    expect(result.code).toBe(1);
    const svg = await runBin(
      BIN,
      [
        "compare",
        "--base",
        "base.json",
        "--head",
        "short.json",
        "--expect-faster",
        "30%",
        "--format",
        "svg",
      ],
      { ...source, cwd: dir },
    );
    expect(svg.stdout).toMatch(/^<svg [^>]*viewBox/);
    expect(svg.stdout.match(/<g class="axis">/g)).toHaveLength(2);
    expect(svg.stdout).toContain("time per sample (ms)");
    expect(svg.stdout).toContain("head/base ratio");
    expect(svg.stdout).toMatch(/<line class="bound" data-ratio="0\.7692"/);
    expect(svg.stdout).toContain(">≥ 30.0 % faster</text>");
    // Tick labels are numbers on both axes.
    expect(svg.stdout).toMatch(/text-anchor="middle" fill="#718096">100<\/text>/);
  }, 600_000);

  it("colours verdicts when FORCE_COLOR asks, never when NO_COLOR does or output is piped", async () => {
    const dir = resultsDir();
    const args = ["compare", "--base", "base.json", "--head", "slow.json"];
    const [forced, none, piped] = await Promise.all([
      runBin(BIN, args, { ...source, cwd: dir, env: { FORCE_COLOR: "1" } }),
      runBin(BIN, args, { ...source, cwd: dir, env: { NO_COLOR: "1" } }),
      runBin(BIN, args, { ...source, cwd: dir }),
    ]);
    expect(forced.stdout).toContain("\u001b[1m\u001b[31mREGRESSION\u001b[39m\u001b[22m");
    expect(none.stdout).toContain(" REGRESSION\n");
    expect(none.stdout).not.toContain("\u001b[");
    expect(piped.stdout).not.toContain("\u001b[");
  }, 600_000);

  it("warns when start-up is a large share of what a command measures, and suggests self-timing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-bin-"));
    const node = JSON.stringify(process.execPath);
    const samples = ["--min-samples", "3", "--max-samples", "3"];
    const [startup, selfTimed] = await Promise.all([
      runBin(
        BIN,
        ["compare", "--base-cmd", `${node} -e 0`, "--head-cmd", `${node} -e 0`, ...samples],
        { ...source, cwd: dir },
      ),
      runBin(
        BIN,
        [
          "compare",
          "--base-cmd",
          `${node} -e "console.log('bench-gate: ms=5')"`,
          "--head-cmd",
          `${node} -e "console.log('bench-gate: ms=5')"`,
          ...samples,
        ],
        { ...source, cwd: dir },
      ),
    ]);
    expect(startup.stderr).toMatch(
      /^warning: starting `node` alone takes [\d.]+ ms, \d+ % of (base|head)'s fastest sample .*self-timed.*`bench-gate: ms=<n>`.*reportSample\(\)/,
    );
    expect(selfTimed.stderr).toBe("");
  }, 600_000);

  it("clears its progress line on a terminal before the report", async () => {
    const io = memoryIo(mkdtempSync(join(tmpdir(), "bench-gate-tty-")), {}, true);
    await run(
      [
        "compare",
        "--base-cmd",
        "true",
        "--head-cmd",
        "true",
        "--min-samples",
        "3",
        "--max-samples",
        "3",
      ],
      io,
    );
    const transcript = io.transcript();
    const table = transcript.indexOf("benchmark ");
    const cleared = transcript.lastIndexOf("\r\u001b[2K", table);
    // The progress line was drawn, then cleared, and nothing drawn again before the report.
    expect(transcript.lastIndexOf("\r", cleared - 1)).toBeGreaterThanOrEqual(0);
    expect(transcript.slice(cleared + 5, table)).not.toContain("\r");
  }, 600_000);
});

/** A git repository whose HEAD has a script the base command runs, and a temporary directory. */
function repository(): { dir: string; git: (...args: string[]) => string; temp: string } {
  return {
    ...gitRepository({ "work.sh": "sleep 0.01\n" }),
    temp: mkdtempSync(join(tmpdir(), "bench-gate-tmp-")),
  };
}

/** What base checkouts left in a temporary directory (tsx keeps its cache there too). */
function leftIn(temp: string): string[] {
  return readdirSync(temp).filter((name) => name.startsWith("bench-gate-base-"));
}

/** Waits until the run has made its checkout (its temporary folder holds the worktree). */
async function checkoutMade(temp: string): Promise<void> {
  for (let i = 0; i < 6_000; i++) {
    const holder = leftIn(temp)[0];
    if (holder !== undefined && existsSync(join(temp, holder, "tree", "work.sh"))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no checkout appeared in ${temp}`);
}

describe("bench-gate compare --base-ref: nothing left behind", () => {
  const quick = ["--min-samples", "3", "--max-samples", "3"];

  it("removes the worktree and its temporary folder after a run, and validates options before creating either", async () => {
    const { dir, git, temp } = repository();
    const env = { TMPDIR: temp };
    const done = await runBin(
      BIN,
      ["compare", "--base-ref", "HEAD", "--head-cmd", "sh work.sh", ...quick],
      { ...source, cwd: dir, env },
    );
    expect(done.code).toBe(0);
    expect(leftIn(temp)).toEqual([]);
    expect(git("worktree", "list").split("\n")).toHaveLength(1);
    const invalid = await Promise.all(
      [
        ["--max-samples", "2"],
        ["--timeout", "0"],
        ["--max-time", "-1"],
        ["--format", "pdf"],
      ].map((bad) =>
        runBin(BIN, ["compare", "--base-ref", "HEAD", "--head-cmd", "sh work.sh", ...bad], {
          ...source,
          cwd: dir,
          env,
        }),
      ),
    );
    expect(invalid.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(leftIn(temp)).toEqual([]);
    expect(existsSync(join(dir, ".git", "worktrees"))).toBe(false);
  }, 600_000);

  it("removes the checkout on SIGINT during --setup (and stops the setup) and on SIGTERM while measuring", async () => {
    const { dir, git, temp } = repository();
    const marker = `sleep 31.${process.pid}`;
    const interrupted = startBin(
      BIN,
      ["compare", "--base-ref", "HEAD", "--head-cmd", "sh work.sh", "--setup", marker, ...quick],
      { ...source, cwd: dir, env: { TMPDIR: temp } },
    );
    await checkoutMade(temp);
    interrupted.child.kill("SIGINT");
    expect((await interrupted.done).signal).toBe("SIGINT");
    expect(leftIn(temp)).toEqual([]);
    expect(git("worktree", "list").split("\n")).toHaveLength(1);
    expect(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })).not.toContain(marker);

    const terminated = startBin(
      BIN,
      [
        "compare",
        "--base-ref",
        "HEAD",
        "--head-cmd",
        "touch measuring; sleep 0.3",
        "--min-samples",
        "50",
      ],
      { ...source, cwd: dir, env: { TMPDIR: temp } },
    );
    await checkoutMade(temp);
    while (!existsSync(join(dir, "measuring"))) await new Promise((r) => setTimeout(r, 50));
    terminated.child.kill("SIGTERM");
    expect((await terminated.done).signal).toBe("SIGTERM");
    expect(leftIn(temp)).toEqual([]);
    expect(git("worktree", "list").split("\n")).toHaveLength(1);
  }, 600_000);

  it("prunes, at the next start, the checkout of a run that was killed outright", async () => {
    const { dir, git, temp } = repository();
    const killed = startBin(
      BIN,
      ["compare", "--base-ref", "HEAD", "--head-cmd", "sh work.sh", "--setup", "sleep 15"],
      { ...source, cwd: dir, env: { TMPDIR: temp } },
    );
    await checkoutMade(temp);
    killed.child.kill("SIGKILL");
    await killed.done;
    expect(git("worktree", "list").split("\n")).toHaveLength(2); // SIGKILL cannot be handled
    mkdirSync(join(temp, "bench-gate-base-old")); // and an empty folder left by an older version
    const next = await runBin(
      BIN,
      ["compare", "--base-ref", "HEAD", "--head-cmd", "sh work.sh", ...quick],
      { ...source, cwd: dir, env: { TMPDIR: temp } },
    );
    expect(next.code).toBe(0);
    expect(
      next.stderr.match(
        /note: removed .*bench-gate-base-\S+, a base checkout left behind by a killed run\./g,
      ),
    ).toHaveLength(2);
    expect(leftIn(temp)).toEqual([]);
    expect(git("worktree", "list").split("\n")).toHaveLength(1);
  }, 600_000);
});
