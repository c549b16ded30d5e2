// `pnpm test:stress`: the flake hunt. Runs every package's test suite N times under turbo (as
// `pnpm test` does, caches off) while a second load keeps both cores busy, and lists every test
// that failed at least once. A test that only passes on a quiet machine fails here.
//
//   pnpm test:stress [--rounds 5] [--load hogs|suite|none] [--filter <turbo filter>]…
//
// --load hogs   one busy-looping process per core beside the suite (default)
// --load suite  a second copy of the test suite, started again whenever it ends
// --load none   the suite alone
//
// Exit 0: no test failed in any round; 1: some test failed (listed); 2: usage error.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, stripVTControlCharacters } from "node:util";

interface VitestJsonReport {
  testResults: {
    name: string;
    assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
  numTotalTests: number;
}

interface Failure {
  readonly test: string;
  readonly rounds: number[];
  readonly message: string;
}

/** The first informative line of a failure (vitest may put a placeholder line first). */
function firstLine(message: string): string {
  const lines = stripVTControlCharacters(message).split("\n");
  const informative = lines.find(
    (line) => line.trim() !== "" && !line.includes("STACK_TRACE_ERROR") && !/^\s*at /.test(line),
  );
  return informative?.trim() ?? "(vitest recorded no message, e.g. a timeout: see the log above)";
}

const usage = "usage: pnpm test:stress [--rounds N] [--load hogs|suite|none] [--filter <pkg>]…";

function parse(argv: string[]): { rounds: number; load: string; filters: string[] } {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: "string", default: "5" },
      load: { type: "string", default: "hogs" },
      filter: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`Expected \`--rounds\` to be an integer >= 1, got \`${values.rounds}\`.`);
  if (!["hogs", "suite", "none"].includes(values.load))
    throw new Error(`Expected \`--load\` to be hogs, suite or none, got \`${values.load}\`.`);
  return { rounds, load: values.load, filters: values.filter };
}

/** Starts the background load; returns a function that stops it. */
function startLoad(kind: string): () => void {
  const children: ChildProcess[] = [];
  let stopped = false;
  if (kind === "hogs") {
    for (let i = 0; i < availableParallelism(); i++)
      children.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
  } else if (kind === "suite") {
    const again = (): void => {
      if (stopped) return;
      const child = spawn("pnpm", ["-r", "--workspace-concurrency=2", "--no-bail", "test"], {
        stdio: "ignore",
        env: { ...process.env, PERFLAYER_TEST_REPORT: "" },
      });
      children.push(child);
      child.on("exit", again);
    };
    again();
  }
  return () => {
    stopped = true;
    for (const child of children) child.kill("SIGKILL");
  };
}

function runRound(filters: string[], reportDir: string): Promise<number> {
  const args = ["turbo", "run", "test", "--force", "--continue", "--output-logs=errors-only"];
  for (const filter of filters) args.push(`--filter=${filter}`);
  return new Promise((resolve) => {
    const child = spawn("pnpm", ["exec", ...args], {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, PERFLAYER_TEST_REPORT: reportDir },
    });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`test:stress: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  const failures = new Map<string, Failure>();
  const stopLoad = startLoad(options.load);
  const cleanup = (): void => stopLoad();
  process.once("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  const started = performance.now();
  let testsPerRound = 0;
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const reportDir = mkdtempSync(join(tmpdir(), "perflayer-stress-"));
      process.stderr.write(`\n::: round ${round}/${options.rounds} (load: ${options.load})\n`);
      const code = await runRound(options.filters, reportDir);
      let seen = 0;
      for (const file of readdirSync(reportDir)) {
        const report = JSON.parse(readFileSync(join(reportDir, file), "utf8")) as VitestJsonReport;
        seen += report.numTotalTests;
        const project = file.replace(/\.json$/, "");
        for (const result of report.testResults) {
          for (const test of result.assertionResults) {
            if (test.status !== "failed") continue;
            const key = `${project} › ${test.fullName}`;
            const entry = failures.get(key) ?? {
              test: key,
              rounds: [],
              message: firstLine(test.failureMessages?.[0] ?? ""),
            };
            entry.rounds.push(round);
            failures.set(key, entry);
          }
        }
      }
      if (code !== 0 && failures.size === 0) {
        // A package failed without a failing test: a crash, a failed collection, an error outside tests.
        const key = "(a test run exited non-zero without a failing test: see the log above)";
        const entry = failures.get(key) ?? { test: key, rounds: [], message: `exit ${code}` };
        entry.rounds.push(round);
        failures.set(key, entry);
      }
      testsPerRound = Math.max(testsPerRound, seen);
      process.stderr.write(`::: round ${round}: ${seen} tests, exit ${code}\n`);
      rmSync(reportDir, { recursive: true, force: true });
    }
  } finally {
    cleanup();
  }
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  process.stdout.write(
    `\ntest:stress: ${options.rounds} rounds of ${testsPerRound} tests under load "${options.load}" in ${minutes} min\n`,
  );
  if (failures.size === 0) {
    process.stdout.write("no test failed in any round\n");
    return 0;
  }
  process.stdout.write(`${failures.size} test(s) failed at least once:\n`);
  for (const failure of [...failures.values()].sort((a, b) => b.rounds.length - a.rounds.length))
    process.stdout.write(
      `  ${failure.rounds.length}/${options.rounds}  ${failure.test}\n        ${failure.message}\n`,
    );
  return 1;
}

if (!existsSync("turbo.json")) {
  process.stderr.write("test:stress: run it from the workspace root (pnpm test:stress)\n");
  process.exitCode = 2;
} else {
  process.exitCode = await main();
}
