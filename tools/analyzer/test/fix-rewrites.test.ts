// `fix` per rewrite kind: the shapes each rewriter accepts (and what it writes) and the shapes it
// must refuse, with the reason. Fixtures: test/__fixtures__/fix/<kind>/{accept,refuse}-*.ts, read
// by the real analyzer from a copy (so they count as source, not fixtures).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, planFixes } from "@perflayer/analyzer";
import type { FixPlan, PlannedFix } from "@perflayer/analyzer";

const FIXTURES = join(import.meta.dirname, "__fixtures__", "fix");

async function planOf(kind: string): Promise<FixPlan> {
  const dir = mkdtempSync(join(tmpdir(), `analyze-fix-${kind}-`));
  cpSync(join(FIXTURES, kind), dir, { recursive: true });
  return planFixes([dir], { root: dir });
}

// One plan per fixture folder, shared by its tests: a plan is data (a dry run writes nothing), and
// planning a folder again for each test only cost time.
const plans = new Map<string, Promise<FixPlan>>();
function plan(kind: string): Promise<FixPlan> {
  const planned = plans.get(kind) ?? planOf(kind);
  plans.set(kind, planned);
  return planned;
}

type Placement = { file: string; startLine: number; endLine: number };

/**
 * Plans `fix` on a copy of a fixture folder with findings placed at the given lines, each made
 * from the folder's first memoize finding: the shapes the detector does not report are handed to
 * `fix` this way.
 */
async function planMemoizeAt(kind: string, at: readonly Placement[]): Promise<FixPlan> {
  const dir = mkdtempSync(join(tmpdir(), `analyze-fix-${kind}-at-`));
  cpSync(join(FIXTURES, kind), dir, { recursive: true });
  const report = await analyze({ root: dir, cacheDir: false });
  const template = report.findings.find((f) => f.kind === "memoize");
  if (template === undefined) throw new Error(`no memoize finding in the ${kind} fixtures`);
  return planFixes({ ...report, findings: at.map((a) => ({ ...template, ...a })) }, { root: dir });
}

const fixesOf = (p: FixPlan, file: string): PlannedFix[] =>
  p.fixes.filter((f) => f.finding.file === file);
const afterOf = (p: FixPlan, file: string): string =>
  p.files.find((f) => f.file === file)?.after ?? "(not rewritten)";
const refusal = (p: FixPlan, file: string): string => {
  const [fix] = fixesOf(p, file);
  return fix?.status === "refused" ? fix.reason : `(${fix?.status ?? "no finding"})`;
};

describe("fix: Promise.race timeouts → withTimeout", () => {
  it("rewrites each race of one operation against a rejecting timer, importing withTimeout once per file", async () => {
    const p = await plan("timeout-race");
    expect(fixesOf(p, "accept-two-races.ts").map((f) => f.status)).toEqual(["rewrite", "rewrite"]);
    const after = afterOf(p, "accept-two-races.ts");
    expect(after).toContain('return withTimeout(readFile(path, "utf8"), 2_000);');
    expect(after).toContain("const ok = await withTimeout(check(), ms);");
    expect(after).not.toContain("Promise.race(");
    expect(after.match(/import \{ withTimeout \} from "@perflayer\/response";/g)).toHaveLength(1);
    const [first] = fixesOf(p, "accept-two-races.ts");
    expect(first?.status === "rewrite" && first.diff).toContain(
      '+  return withTimeout(readFile(path, "utf8"), 2_000);',
    );
  });

  it("drops a timer promise declared first and its handle cleared by `.then(ok, fail)` that passes the result and the error on", async () => {
    const p = await plan("timeout-race");
    expect(afterOf(p, "accept-declared-timer-then-clear.ts")).toContain(
      "export function callWithTimeout<T>(promise: Promise<T>, timeout: number): Promise<T> {\n  return withTimeout(promise, timeout);\n}",
    );
    const [fix] = fixesOf(p, "accept-declared-timer-then-clear.ts");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toContain(
      'instead of `new TimeoutError("Operation timed out.")`',
    );
    expect(refusal(p, "refuse-then-clear-one-side.ts")).toBe(
      "the timer handle `timer` is kept outside the race and not cleared by `.finally(() => clearTimeout(timer))` on it; that clean-up would have to go too",
    );
  });

  it("drops a handle kept only to clear the timer in .finally, with its declaration", async () => {
    const after = afterOf(await plan("timeout-race"), "accept-finally-clear.ts");
    expect(after).toContain(
      "export function bounded<T>(work: Promise<T>, ms: number): Promise<T> {\n  return withTimeout(work, ms);\n}",
    );
    expect(after).not.toMatch(/let timer|clearTimeout|finally\(/);
  });

  it("takes a timer promise declared just before the race, its callback named first, and drops the declaration", async () => {
    const p = await plan("timeout-race");
    const after = afterOf(p, "accept-declared-timer.ts");
    expect(after).toContain(
      "Promise<T> {\n  return await withTimeout(method, options.timeout);\n}",
    );
    expect(after).not.toMatch(/new Promise|setTimeout|handler/);
    const [fix] = fixesOf(p, "accept-declared-timer.ts");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toContain(
      "instead of `new Error(`${options.name} timed out`)`",
    );
    // Its timer would start at the race, after a wait; an unref'd timer lets the process exit.
    expect(refusal(p, "refuse-declared-timer-waits.ts")).toBe(
      "neither entry of the race is a timer alone (the timer promise `timeout` starts its timer before `await flush();`, which waits (withTimeout would start it at the race))",
    );
    expect(refusal(p, "refuse-unref-timer.ts")).toMatch(/its timer is unref'd/);
  });

  it("adds withTimeout to an existing import of @perflayer/response", async () => {
    const after = afterOf(await plan("timeout-race"), "accept-existing-import.ts");
    expect(after).toContain('import { retry, withTimeout } from "@perflayer/response";');
    expect(after).toContain("retry(() =>\n    withTimeout(fetch(url), ms),\n  )");
  });

  it("refuses a timer that resolves, a handle kept outside the race, a race of several operations, and a timer promise made elsewhere", async () => {
    const p = await plan("timeout-race");
    expect(refusal(p, "refuse-fallback.ts")).toMatch(/timer resolves \(a fallback value\)/);
    expect(refusal(p, "refuse-handle-escapes.ts")).toBe(
      "the timer handle `timer` is kept outside the race and used elsewhere too (1 more)",
    );
    expect(refusal(p, "refuse-three-way.ts")).toMatch(/the race has 3 entries/);
    expect(refusal(p, "refuse-timer-made-elsewhere.ts")).toMatch(
      /the timer promise `deadline` is used 2 times \(it may be raced again or observed elsewhere\)/,
    );
    for (const file of [
      "refuse-fallback.ts",
      "refuse-handle-escapes.ts",
      "refuse-three-way.ts",
      "refuse-timer-made-elsewhere.ts",
    ])
      expect(p.files.map((f) => f.file)).not.toContain(file);
  });
});

describe("fix: hand-written retry loops → retry", () => {
  it("carries over attempts, a fixed delay and the retry condition, and drops the last-error bookkeeping", async () => {
    const p = await plan("retry-loop");
    const after = afterOf(p, "accept-last-error.ts");
    expect(after).toContain(
      [
        "  return retry(() => fn(), {",
        "    attempts: 4,",
        "    backoff: { initialMs: 250, maxMs: 250, factor: 1 },",
        '    jitter: "none",',
        "    retryOn: (error) => !((error as { status?: number }).status === 404),",
        "  });",
      ].join("\n"),
    );
    expect(after).not.toMatch(/lastError|for \(/);
    const [fix] = fixesOf(p, "accept-last-error.ts");
    expect(fix?.status === "rewrite" && fix.notes).toEqual([
      "no wait after the last failed attempt (the loop waited before giving up)",
    ]);
    expect(
      after.startsWith('import { retry } from "@perflayer/response";\n\n// The classic loop'),
    ).toBe(true);
  });

  it("counts the attempts of a one-based loop and keeps a multi-statement attempt as an async function", async () => {
    const p = await plan("retry-loop");
    const after = afterOf(p, "accept-throw-on-last.ts");
    expect(after).toContain("return retry(async () => {\n    const response = await fetch(url);");
    expect(after).toContain("attempts: tries,");
    expect(after).toContain("backoff: { initialMs: 1_000, maxMs: 1_000, factor: 1 },");
    expect(after).not.toContain("unreachable");
    // The last attempt threw before waiting: no change there worth a note.
    const [fix] = fixesOf(p, "accept-throw-on-last.ts");
    expect(fix?.status === "rewrite" && fix.notes).toEqual([
      "aborts and perflayer configuration errors are no longer retried (retry's default)",
      "`tries` must be a whole number of at least 1: retry() throws PerflayerConfigError otherwise, where the loop did not",
    ]);
  });

  it("carries an exponential delay under a ceiling over as backoff { initialMs, maxMs, factor }", async () => {
    const after = afterOf(await plan("retry-loop"), "accept-exponential-backoff.ts");
    expect(after).toContain("backoff: { initialMs: 100, maxMs: 2_000, factor: 2 },");
    expect(after).toContain("attempts: 5,");
  });

  it("carries a delay computed on every pass or grown in another shape over as retry's delay function of the attempt and its error", async () => {
    const p = await plan("retry-loop");
    // `100 * (attempt + 1)` from a zero-based counter: the failed attempt, 1-based, is retry's.
    expect(afterOf(p, "accept-linear-delay.ts")).toContain(
      "  return retry(() => open(), {\n    attempts: 5,\n    delay: (attempt) => 100 * attempt,\n  });",
    );
    expect(afterOf(p, "accept-computed-delay.ts")).toContain("    delay: () => nextDelay(),\n");
    // A one-based counter is the attempt; the catch's error is the function's second parameter.
    expect(afterOf(p, "accept-retry-after.ts")).toContain(
      "    attempts: 4,\n    delay: (i, err) => (err as HttpError).retryAfterMs ?? 250 * i,\n  });",
    );
    const [fix] = fixesOf(p, "accept-retry-after.ts");
    expect(fix?.status === "rewrite" && fix.api).toBe("retry(fn, { attempts, delay, retryOn })");
    expect(fix?.status === "rewrite" && fix.notes[0]).toBe(
      "the wait is asked of the delay function once per retry, after the retry condition, as the loop worked it out once per pass; an answer that is not a finite number >= 0 ends the retry with PerflayerConfigError",
    );
  });

  it("refuses a loop that mutates outer state (in the attempt or the catch's test) or logs in its catch", async () => {
    const p = await plan("retry-loop");
    expect(refusal(p, "refuse-outer-state.ts")).toBe(
      "the loop mutates outer state: the attempt assigns `failures`",
    );
    expect(refusal(p, "refuse-logs.ts")).toMatch(
      /catch block does more than record the error, test it and wait: `console\.warn/,
    );
    expect(refusal(p, "refuse-test-assigns.ts")).toBe(
      "the loop mutates outer state: the catch block's test assigns `seen`",
    );
  });

  it("predicts with the analyzer's fix prediction and counts what each rewrite removes", async () => {
    const p = await plan("retry-loop");
    const [fix] = fixesOf(p, "accept-last-error.ts");
    expect(fix?.finding.fixRemovesLines).toBeDefined();
    expect(fix).toMatchObject({ status: "rewrite", predictedLines: fix?.finding.fixRemovesLines });
    // 11 code lines of loop and bookkeeping become 6 lines of retry(…); the import it adds is the
    // file's setup, charged to the summary.
    expect(fix?.status === "rewrite" && fix.removedLines).toBe(5);
    expect(p.files.find((f) => f.file === "accept-last-error.ts")?.setupLines).toBe(1);
    expect(p.totals).toMatchObject({ findings: 21, rewritten: 11, refused: 10 });
  });
});

describe("fix: while loops with a failure counter → retry", () => {
  it("carries over a `while (true)` loop that counts failures and gives up at max", async () => {
    const after = afterOf(await plan("retry-loop"), "accept-while-counter.ts");
    expect(after).toContain(
      [
        "  return retry(() => read(), {",
        "    attempts: max,",
        "    backoff: { initialMs: 500, maxMs: 500, factor: 1 },",
        '    jitter: "none",',
        "  });",
      ].join("\n"),
    );
    expect(after).not.toMatch(/let tries|while \(/);
  });

  it("carries over a bounded `while (n < max)` loop, its delay growing with the failure count", async () => {
    const after = afterOf(await plan("retry-loop"), "accept-while-bounded.ts");
    // The first wait follows the first failure, when the count is 1: 100 * 2 ** 1.
    expect(after).toContain("attempts: 3,");
    expect(after).toContain(
      "backoff: { initialMs: 200, maxMs: Number.MAX_SAFE_INTEGER, factor: 2 },",
    );
    expect(after).not.toMatch(/lastError|attempt\+\+|while \(/);
  });

  it("refuses a poll for state and a loop that retries until it succeeds", async () => {
    const p = await plan("retry-loop");
    expect(refusal(p, "refuse-poll-state.ts")).toBe(
      "a poll for state: the loop runs while `Date.now() < deadline`, not for a number of failed attempts",
    );
    expect(refusal(p, "refuse-forever.ts")).toMatch(/counts no failures first thing in its catch/);
  });
});

describe("fix: retry loops counted by their condition, or waiting before the later attempts → retry", () => {
  it("carries over `while (n++ < max)`: max attempts, the last error thrown by retry", async () => {
    const p = await plan("retry-loop");
    const after = afterOf(p, "accept-counted-condition.ts");
    expect(after).toContain(
      [
        "  return retry(() => fn(), {",
        "    attempts: max,",
        "    backoff: { initialMs: 50, maxMs: 50, factor: 1 },",
        '    jitter: "none",',
        "  });",
      ].join("\n"),
    );
    expect(after).not.toMatch(/let tries|lastError|while \(/);
    const [fix] = fixesOf(p, "accept-counted-condition.ts");
    expect(fix?.status === "rewrite" && fix.notes).toContain(
      "`max` must be a whole number of at least 1: retry() throws PerflayerConfigError otherwise, where the loop did not",
    );
  });

  it("carries over a countdown `while (left-- > 0)` as its starting count, with the retry condition", async () => {
    const after = afterOf(await plan("retry-loop"), "accept-countdown.ts");
    expect(after).toContain("attempts: 3,");
    expect(after).toContain("backoff: { initialMs: 20, maxMs: 20, factor: 1 },");
    expect(after).toContain("retryOn: (error) => !(error instanceof TypeError),");
    expect(after).not.toMatch(/let left|lastError|while \(/);
  });

  it("takes `if (attempt > 0) await sleep(…)` before the try as the wait between attempts: the first wait is the delay at attempt 1, and no note about a last wait", async () => {
    const p = await plan("retry-loop");
    const after = afterOf(p, "accept-wait-before.ts");
    // Before attempt 1 the loop waited 200 * 2 ** 1.
    expect(after).toContain(
      "backoff: { initialMs: 400, maxMs: Number.MAX_SAFE_INTEGER, factor: 2 },",
    );
    expect(after).toContain("attempts: 5,");
    expect(after).not.toMatch(/if \(attempt|sleep\(200/);
    const [fix] = fixesOf(p, "accept-wait-before.ts");
    expect(fix?.status === "rewrite" && fix.notes).not.toContain(
      "no wait after the last failed attempt (the loop waited before giving up)",
    );
  });

  it("refuses a countdown read in the loop, a wait before the attempt guarded by more than the attempt, a loop that retries on state, and a loop that waits twice", async () => {
    const p = await plan("retry-loop");
    expect(refusal(p, "refuse-countdown-read.ts")).toBe(
      "the countdown `left` is read in the loop (only a count the condition alone keeps is carried over)",
    );
    expect(refusal(p, "refuse-wait-before-other-test.ts")).toBe(
      "the wait before the attempt is guarded by `attempt > 0 && slow`, not by `attempt > 0` (the attempts after the first)",
    );
    // The timer inside `new Promise(…)` is a sleep the loop awaits, not a scheduled attempt.
    expect(refusal(p, "refuse-state-loop.ts")).toBe(
      "the loop repeats while `numRetriesAvailable > 0 && test.errors.length > 0` with no try/catch: it retries on state, not on a thrown error (retry() retries rejections)",
    );
    expect(refusal(p, "refuse-wait-before-does-more.ts")).toBe(
      "the wait before the later attempts does more than wait: `if (this.closed) return -1;`",
    );
    expect(refusal(p, "refuse-wait-twice.ts")).toBe(
      "the loop waits both before the later attempts and in its catch (retry waits once between attempts)",
    );
  });
});

describe("fix: one value kept with a clock stamp in module variables → lazy(load, { ttl })", () => {
  it("makes the slot `lazy(load, { ttl })`, drops the stamp and returns `slot.get()`, with notes on what changes", async () => {
    const p = await plan("ttl-slot");
    const after = afterOf(p, "accept-expiry-stamp.ts");
    expect(after).toContain(
      "const token = lazy((): Promise<Token> => issueToken(), { ttl: 5 * 60_000 });",
    );
    expect(after).toContain(
      "export async function currentToken(): Promise<Token> {\n  return token.get();\n}",
    );
    expect(after).not.toMatch(/expiresAt|Date\.now/);
    expect(after.startsWith('import { lazy } from "@perflayer/cache";\n')).toBe(true);
    const [fix] = fixesOf(p, "accept-expiry-stamp.ts");
    expect(fix?.status === "rewrite" && fix.notes).toEqual([
      "the value is loaded by `lazy` on the first `token.get()` and loaded again once 5 * 60_000 ms old (counted from when the load finished, by core's clock)",
      'a falsy value (`0`, `""`, `false`) is now kept rather than loaded again on each call',
      "concurrent callers now share one load, and a failed load is not kept",
    ]);
  });

  it("takes a TTL read from the loaded value as lazy's TTL function of that value", async () => {
    const p = await plan("ttl-slot");
    const after = afterOf(p, "accept-ttl-from-value.ts");
    expect(after).toContain(
      "const token = lazy((): Promise<Token> => issueToken(), { ttl: (token) => token.expiresIn });",
    );
    expect(after).toContain(
      "export async function currentToken(): Promise<Token> {\n  return token.get();\n}",
    );
    expect(after).not.toMatch(/expiresAt|Date\.now/);
    const [fix] = fixesOf(p, "accept-ttl-from-value.ts");
    expect(fix?.status === "rewrite" && fix.notes.slice(0, 2)).toEqual([
      "the value is loaded by `lazy` on the first `token.get()` and loaded again once token.expiresIn ms old (read from each loaded value, counted from when the load finished, by core's clock)",
      "a TTL that is not a number > 0 (`NaN` when the value has no such field) keeps the value for no time: the next call loads again, as the expired stamp did",
    ]);
  });

  it("refuses a stamp other code reads, a TTL read from the value before it is loaded, and a load that reads the caller's parameters", async () => {
    const p = await plan("ttl-slot");
    expect(refusal(p, "refuse-stamp-read-elsewhere.ts")).toBe(
      "the stamp `expiresAt` is read or written outside the function",
    );
    expect(refusal(p, "refuse-ttl-from-previous-value.ts")).toBe(
      "the TTL `(token ? token.expiresIn : 1_000)` reads `token` before it is filled (the previous value's)",
    );
    expect(refusal(p, "refuse-load-reads-parameter.ts")).toBe(
      "the load reads `scope`: a parameter or local of the function, or the slot itself",
    );
  });
});

describe("fix: elapsed-time deltas → the shared monitor's timer", () => {
  it("replaces the start mark with monitor.startTimer and the delta with the timer's end, in the unit the code used", async () => {
    const p = await plan("timer-delta");
    const after = afterOf(p, "accept-log-and-metric.ts");
    expect(after).toContain(
      'const stopLoadConfigTimer = monitor.startTimer("load_config_duration_seconds");',
    );
    expect(after).toContain("console.log(`config read in ${stopLoadConfigTimer() * 1000} ms`);");
    // `(performance.now() - t0) / 1000` was already seconds: the timer's own value.
    expect(after).toContain("durations.push(stopParseRowsTimer());");
    expect(after).not.toMatch(/Date\.now|performance\.now/);
    expect(after.match(/import \{ monitor \} from "\.\/perflayer\.js";/g)).toHaveLength(1);
  });

  it("takes an end mark read once, by the next statement, with its start mark: the end mark goes, the delta becomes the timer's end", async () => {
    const p = await plan("timer-delta");
    const after = afterOf(p, "accept-end-mark.ts");
    expect(after).toContain(
      [
        '  const stopRunQueryTimer = monitor.startTimer("run_query_duration_seconds");',
        "  const rows = await run(sql);",
        "  // the end mark is read by the next statement only",
        "  const queryExecutionTime = stopRunQueryTimer() * 1000;",
        "  logger.logQueryTime(queryExecutionTime, sql);",
      ].join("\n"),
    );
    expect(after).not.toMatch(/Date\.now|queryEndTime|queryStartTime/);
    expect(refusal(p, "refuse-end-mark-reused.ts")).toBe(
      "2 start marks in the finding's lines; one is rewritten at a time",
    );
  });

  it("creates one shared module with the monitor, its lines and the imports charged to the summary (no finding below 0)", async () => {
    const p = await plan("timer-delta");
    const shared = p.files.find((f) => f.file === "perflayer.ts");
    expect(shared).toMatchObject({ before: "", shared: true, modules: ["@perflayer/monitor"] });
    expect(shared?.after).toContain(
      'import { PerformanceMonitor } from "@perflayer/monitor";\n\nexport const monitor: PerformanceMonitor = new PerformanceMonitor();\n',
    );
    const removed = fixesOf(p, "accept-log-and-metric.ts").map(
      (f) => f.status === "rewrite" && f.removedLines,
    );
    // Each rewrite replaces two lines by two: 0, not the file's import (setup, in the summary).
    expect(removed).toEqual([0, 0]);
    // accept-end-mark.ts: its end mark's line goes; its import is setup too.
    const [first] = fixesOf(p, "accept-end-mark.ts");
    expect(first?.status === "rewrite" && first.removedLines).toBe(1);
    expect(p.fixes.every((f) => f.status !== "rewrite" || f.removedLines >= 0)).toBe(true);
    // Setup: seven files' imports and the module's two code lines. The net total stays honest: the
    // findings' 3 lines (the end mark's, two hrtime tuples'; a field's timer takes its mark's
    // lines) less the 9 of setup is what the files lose, and what the plan predicts.
    expect(shared?.setupLines).toBe(2);
    expect(p.totals).toMatchObject({ setupLines: 9, removedLines: -6, predictedLines: -6 });
  });

  it("reads `new Date().getTime()` as Date.now(), and takes a `let` mark read once (so never assigned again)", async () => {
    const p = await plan("timer-delta");
    const after = afterOf(p, "accept-date-clock.ts");
    expect(after).toContain(
      '  const stopDeleteAllClassesTimer = monitor.startTimer("delete_all_classes_duration_seconds");\n  return dropAll().then(() => {\n    console.debug(`deleteAllClasses done in ${stopDeleteAllClassesTimer() * 1000}`);',
    );
    expect(after).toContain(
      '  const stopCountTimer = monitor.startTimer("count_duration_seconds");',
    );
    expect(after).not.toMatch(/new Date\(\)\.getTime\(\) - now|let begin =/);
  });

  it("reads a clock through a module `const` alias, found by its binding (a parameter of the name is not one)", async () => {
    const p = await plan("timer-delta");
    const after = afterOf(p, "accept-clock-alias.ts");
    expect(after).toContain(
      '  const stopReadConfigTimer = monitor.startTimer("read_config_duration_seconds");',
    );
    expect(after).toContain(
      'debug("config read in %t", BigInt(Math.round(stopReadConfigTimer() * 1e9)));',
    );
    expect(after).not.toMatch(/readStart/);
    expect(refusal(p, "refuse-shadowed-alias.ts")).toBe(
      "the start mark `mark` is not read from a clock (`now()`)",
    );
  });

  it("reuses an existing shared module's monitor under its own name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "analyze-fix-shared-"));
    mkdirSync(join(dir, "src"));
    cpSync(join(FIXTURES, "timer-delta", "accept-log-and-metric.ts"), join(dir, "src", "a.ts"));
    writeFileSync(
      join(dir, "src", "perflayer.ts"),
      'import { PerformanceMonitor } from "@perflayer/monitor";\nexport const metrics = new PerformanceMonitor({});\n',
    );
    const p = await planFixes([dir], { root: dir });
    expect(afterOf(p, "src/a.ts")).toContain('import { metrics } from "./perflayer.js";');
    expect(afterOf(p, "src/a.ts")).toContain("metrics.startTimer(");
    expect(p.files.map((f) => f.file)).toEqual(["src/a.ts"]);
  });

  it("gives each package of a monorepo its own shared module (no import across a package's boundary)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "analyze-fix-monorepo-"));
    writeFileSync(join(dir, "package.json"), '{ "private": true }');
    const timer = readFileSync(join(FIXTURES, "timer-delta", "accept-log-and-metric.ts"), "utf8");
    for (const pkg of ["api", "worker"]) {
      mkdirSync(join(dir, "packages", pkg, "src"), { recursive: true });
      writeFileSync(join(dir, "packages", pkg, "package.json"), `{ "name": "${pkg}" }`);
      writeFileSync(join(dir, "packages", pkg, "src", "load.ts"), timer);
    }
    const p = await planFixes([dir], { root: dir });
    expect(p.files.filter((f) => f.shared === true).map((f) => f.file)).toEqual([
      "packages/api/src/perflayer.ts",
      "packages/worker/src/perflayer.ts",
    ]);
    expect(afterOf(p, "packages/api/src/load.ts")).toContain(
      'import { monitor } from "./perflayer.js";',
    );
  });

  it("takes a process.hrtime() tuple added up into one unit: the tuple goes, the sum becomes the timer's end in that unit", async () => {
    const p = await plan("timer-delta");
    const after = afterOf(p, "accept-hrtime.ts");
    expect(after).toContain(
      [
        '  const stopTimedTimer = monitor.startTimer("timed_duration_seconds");',
        "  work();",
        "  console.log(`work took ${stopTimedTimer() * 1e3} ms`);",
      ].join("\n"),
    );
    expect(after).toContain(
      [
        '  const stopSessionLengthTimer = monitor.startTimer("session_length_duration_seconds");',
        "  run();",
        "  const delta = Math.round(stopSessionLengthTimer() * 1e9);",
        "  record(delta);",
      ].join("\n"),
    );
    expect(after).not.toContain("process.hrtime");
    // Each tuple's line goes.
    expect(
      fixesOf(p, "accept-hrtime.ts").map((f) => f.status === "rewrite" && f.removedLines),
    ).toEqual([1, 1]);
  });

  it("keeps a private field's mark as the field's timer: started where the mark was set, ended where the elapsed time is read", async () => {
    const p = await plan("timer-delta");
    expect(afterOf(p, "accept-field-mark.ts")).toContain(
      [
        "export class Job {",
        '  private stopJobTimer = monitor.startTimer("job_duration_seconds");',
        "",
        "  start(): void {",
        '    this.stopJobTimer = monitor.startTimer("job_duration_seconds");',
        "  }",
        "",
        "  finish(): void {",
        "    console.log(`job took ${this.stopJobTimer() * 1000} ms`);",
      ].join("\n"),
    );
    const [job] = fixesOf(p, "accept-field-mark.ts");
    expect(job?.status === "rewrite" && job.notes[1]).toBe(
      "the timer starts when the object is made, so an elapsed time read before the first mark counts from then (it was `Date.now() - 0`)",
    );
    // Set in the constructor: declared with the timer's type, in seconds as the code read it.
    const session = afterOf(p, "accept-field-mark-constructor.ts");
    expect(session).toContain(
      [
        "  #stopSessionOpenedTimer: () => number;",
        "",
        "  constructor(readonly id: string) {",
        '    this.#stopSessionOpenedTimer = monitor.startTimer("session_opened_duration_seconds");',
        "  }",
        "",
        "  close(): number {",
        "    const seconds = this.#stopSessionOpenedTimer();",
      ].join("\n"),
    );
    expect(session).not.toMatch(/openedAt|performance\.now/);
  });

  it("refuses a field mark that other code reads, and a public field of an exported class", async () => {
    const p = await plan("timer-delta");
    expect(refusal(p, "refuse-field-mark-read-elsewhere.ts")).toBe(
      "the field `startedAt` is also read or written at line 10 (`this.startedAt > 0`); one timer observes one elapsed time",
    );
    expect(refusal(p, "refuse-field-mark-public.ts")).toBe(
      "the start mark `this.startTime` is a public field of an exported class (other modules may read it)",
    );
  });

  it("refuses a mark read twice, an hrtime tuple in two units or handed on, and a delta read on every pass of a loop", async () => {
    const p = await plan("timer-delta");
    expect(refusal(p, "refuse-read-twice.ts")).toBe(
      "the start mark `start` is read 2 times; one timer observes one elapsed time",
    );
    expect(refusal(p, "refuse-hrtime-units.ts")).toBe(
      "a `process.hrtime()` [seconds, nanoseconds] tuple: the arithmetic done on it is not carried over (`s * 1e3 + ns / 1e3` does not turn seconds and nanoseconds into one unit)",
    );
    expect(refusal(p, "refuse-hrtime-tuple-kept.ts")).toBe(
      "a `process.hrtime()` [seconds, nanoseconds] tuple: the arithmetic done on it is not carried over (`elapsed` is read as `report(elapsed)`)",
    );
    expect(refusal(p, "refuse-loop.ts")).toMatch(/read in a loop the start mark is outside of/);
  });
});

describe("fix: get-or-compute maps → memoize / cache.getOrLoad", () => {
  it("turns a sync memo into memoize over a named cache of the shared CacheManager, keeping the function", async () => {
    const p = await plan("memo-map");
    const after = afterOf(p, "accept-sync-memo.ts");
    expect(after).toContain("const slugs = memoize(\n  (title: string): string => title\n");
    expect(after).toContain('  caches.cache<string, string>("accept-sync-memo:slugs"),\n);');
    expect(after).toContain(
      "export function slugify(title: string): string {\n  return slugs(title);\n}",
    );
    expect(after).toContain('import { memoize } from "@perflayer/cache";');
    expect(after).toContain('import { caches } from "./perflayer.js";');
  });

  it("turns an async cache-aside into getOrLoad, the load staying in the function", async () => {
    const p = await plan("memo-map");
    const after = afterOf(p, "accept-async-load.ts");
    expect(after).toContain(
      'const templates = caches.cache<string, string>("accept-async-load:templates");',
    );
    expect(after).toContain(
      '  return templates.getOrLoad(name, () => readFile(`templates/${name}.html`, "utf8"));',
    );
    expect(after).not.toMatch(/templates\.(has|set)\(/);
    const shared = p.files.find((f) => f.file === "perflayer.ts");
    expect(shared?.after).toContain("export const caches: CacheManager = new CacheManager();");
  });

  it("keeps an object key by identity, as the Map did: memoize gets `key: (p) => p`", async () => {
    const after = afterOf(await plan("memo-map"), "accept-object-key.ts");
    expect(after).toContain(
      [
        "const norms = memoize(",
        "  (p: Point): number => Math.hypot(p.x, p.y),",
        '  caches.cache<Point, number>("accept-object-key:norms"),',
        "  { key: (p) => p },",
        ");",
      ].join("\n"),
    );
  });

  it("carries a TTL over from an expiry stamp or a stored time into the cache's ttl option", async () => {
    const p = await plan("memo-map");
    const expiry = afterOf(p, "accept-ttl-expiry.ts");
    expect(expiry).toContain(
      'const rates = caches.cache<string, Rate>("accept-ttl-expiry:rates", { ttl: TTL_MS });',
    );
    expect(expiry).toContain("  return rates.getOrLoad(currency, () => fetchRate(currency));");
    expect(expiry).not.toMatch(/Date\.now|expires/);
    const storedAt = afterOf(p, "accept-ttl-stored-at.ts");
    expect(storedAt).toContain(
      '  caches.cache<string, string[]>("accept-ttl-stored-at:parsed", { ttl: 30_000 }),',
    );
    expect(storedAt).toContain(
      '  (text: string): string[] => text.split(",").map((s) => s.trim()),',
    );
    expect(storedAt).not.toMatch(/Date\.now/);
    const [fix] = fixesOf(p, "accept-ttl-stored-at.ts");
    expect(fix?.status === "rewrite" && fix.notes[0]).toMatch(
      /^entries expire 30_000 ms after they are stored, as before/,
    );
    expect(refusal(p, "refuse-ttl-late.ts")).toBe(
      "the TTL `TOKEN_TTL` is declared after the map (the cache is made where the map was)",
    );
  });

  it("swaps only the store when the memo is not in the get-or-compute shape (a key computed first, an early return)", async () => {
    const p = await plan("memo-map");
    const after = afterOf(p, "accept-swap-derived-key.ts");
    expect(after).toContain(
      'const canonical = caches.cache<string, WatchOptions>("accept-swap-derived-key:canonical");',
    );
    // The code that reads and fills the store stays as it was.
    expect(after).toContain(
      "  const hit = canonical.get(key);\n  if (hit !== undefined) return hit;",
    );
    expect(after).toContain("  canonical.set(key, copy);");
    const [fix] = fixesOf(p, "accept-swap-derived-key.ts");
    expect(fix).toMatchObject({ status: "rewrite", api: "caches.cache(name) in place of the Map" });
    // `new Map<…>()` → `caches.cache<…>(…)` on its line: no line goes (its new import is setup).
    expect(fix?.status === "rewrite" && fix.removedLines).toBe(0);
    // The value set is known from the assignment just before it (`regex = new RegExp(…)`).
    expect(afterOf(p, "accept-swap-branch.ts")).toContain(
      'const patterns = caches.cache("accept-swap-branch:patterns");',
    );
    // A clear elsewhere drops entries, as a cache may: that function stays as it is too.
    const cleared = afterOf(p, "accept-swap-cleared-elsewhere.ts");
    expect(cleared).toContain(
      'const rates = caches.cache<string, number>("accept-swap-cleared-elsewhere:rates");',
    );
    expect(cleared).toContain("  rates.clear();");
    expect(refusal(p, "refuse-swap-state-holder.ts")).toBe(
      "the entry `digest` is state the function updates in place (`digest.names = joined`): a cache that drops it would lose what it holds",
    );
    expect(refusal(p, "refuse-ttl-shape.ts")).toBe(
      "the function reads the clock (entries that expire by hand are carried over only in the get-or-compute shape)",
    );
  });

  it("shares one cache between the instances of a class whose private field memo depends on the key alone", async () => {
    const p = await plan("memo-map");
    expect(afterOf(p, "accept-field-key-only.ts")).toContain(
      'readonly #slugs = caches.cache<string, string>("accept-field-key-only:Slugger.slugs");',
    );
    const [fix] = fixesOf(p, "accept-field-key-only.ts");
    expect(fix?.status === "rewrite" && fix.notes[0]).toMatch(/^the instances now share one cache/);
  });

  it("names each cache after the file's path, so maps of the same name in two folders stay apart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "analyze-fix-names-"));
    const memo = readFileSync(join(FIXTURES, "memo-map", "accept-sync-memo.ts"), "utf8");
    for (const folder of ["users", "orders"]) {
      mkdirSync(join(dir, "src", folder), { recursive: true });
      writeFileSync(join(dir, "src", folder, "index.ts"), memo);
    }
    const p = await planFixes([dir], { root: dir });
    expect(afterOf(p, "src/users/index.ts")).toContain(
      'caches.cache<string, string>("src.users.index:slugs")',
    );
    expect(afterOf(p, "src/orders/index.ts")).toContain(
      'caches.cache<string, string>("src.orders.index:slugs")',
    );
  });

  it("turns a map made per call of a factory or a plugin's apply into memoizeLocal there (one bounded store per call)", async () => {
    const p = await plan("memo-map");
    expect(afterOf(p, "accept-per-call-factory.ts")).toContain(
      [
        "  const results = memoizeLocal((key: string) => fn(key));",
        "  return (key: string) => {",
        "    return results(key);",
        "  };",
      ].join("\n"),
    );
    const plugin = afterOf(p, "accept-per-call-plugin.ts");
    expect(plugin).toContain(
      '    const slugs = memoizeLocal((title: string): string => title.trim().toLowerCase().replace(/\\s+/g, "-"));',
    );
    expect(plugin).toContain("      return slugs(title);\n    };");
    expect(plugin).toContain('import { memoizeLocal } from "@perflayer/cache";');
    expect(plugin).not.toMatch(/new Map|caches\.cache|perflayer\.js/);
    const [fix] = fixesOf(p, "accept-per-call-plugin.ts");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toMatch(
      /one store per call, as the map was, now bounded/,
    );
  });

  it("turns the fill-on-miss shape (`let v = map.get(k); if (v === undefined) { v = …; map.set(k, v); } return v`) into a memo, at module level or per call", async () => {
    const p = await plan("memo-map");
    const moduleLevel = afterOf(p, "accept-fill-on-miss.ts");
    expect(moduleLevel).toContain(
      [
        "const widthCache = memoize(",
        "  (text: string): number => {",
        '    const chars = Array.from(text.normalize("NFC"));',
        "    return chars.length;",
        "  },",
        '  caches.cache<string, number>("accept-fill-on-miss:widthCache"),',
        ");",
      ].join("\n"),
    );
    expect(moduleLevel).toContain("  return widthCache(text);\n}");
    expect(afterOf(p, "accept-per-call-fill-on-miss.ts")).toContain(
      '  const singleStar = memoizeLocal((module: Module): boolean => module.exports.length === 1 && module.exports[0] === "*");\n  const isPassthrough = (module: Module): boolean => {\n    return singleStar(module);\n  };',
    );
  });

  it("tells the memo's map from another variable of its name by scope, and `.map` calls from it", async () => {
    const p = await plan("memo-map");
    const after = afterOf(p, "accept-same-name-elsewhere.ts");
    expect(after).toContain(
      [
        "const cache = memoize(",
        '  (path: string): string[] => path.split("/").map((p) => p.trim()),',
        '  caches.cache<string, string[]>("accept-same-name-elsewhere:cache"),',
        ");",
      ].join("\n"),
    );
    expect(after).toContain("  return cache(path);");
    // The other function's own `cache` stays as it was.
    expect(after).toContain("  const cache = new Map<string, number>();");
    // A store handed in as a parameter is named for what it is, not for a module Map of its name.
    expect(
      fixesOf(p, "refuse-parameter-store.ts").map((f) => f.status === "refused" && f.reason),
    ).toEqual([
      "the store `store` is a parameter: a map the caller hands in (what it keeps is the caller's)",
      "the store `context` is a parameter: a map the caller hands in (what it keeps is the caller's)",
    ]);
    // A read of the memo's map after a block that declares another `sizes` is still a read elsewhere.
    expect(refusal(p, "refuse-read-past-shadow.ts")).toBe(
      "the map `sizes` is used other than by get/has/set/delete/clear (`sizes.size`): iterated, sized or handed on",
    );
  });

  it("picks the memo among several maps in the finding's lines (a memo whose values are maps)", async () => {
    const after = afterOf(await plan("memo-map"), "accept-map-of-maps.ts");
    expect(after).toContain(
      [
        "const wordIndexes = memoize(",
        "  (text: string): Map<string, number> => {",
        "    const index = new Map<string, number>();",
        '    for (const word of text.split(" ")) index.set(word, word.length);',
        "    return index;",
        "  },",
        '  caches.cache<string, Map<string, number>>("accept-map-of-maps:wordIndexes"),',
        ");",
      ].join("\n"),
    );
    expect(after).toContain("  return wordIndexes(text);\n}");
  });

  it("refuses a per-call map whose compute reads a variable of a scope between the map and its function, or that is filled in the call that made it", async () => {
    const p = await plan("memo-map");
    expect(refusal(p, "refuse-per-call-capture.ts")).toBe(
      "the compute reads `index`, declared between the map and its function: moved to where the map is made, it would see another `index` or none",
    );
    expect(refusal(p, "refuse-per-call-same-function.ts")).toMatch(
      /the map `parts` is created per call of the function around it/,
    );
  });

  it("turns a private field memo whose values depend on the instance, or that loads, into a memoizeLocal of each instance", async () => {
    const p = await plan("memo-map");
    const state = afterOf(p, "accept-field-instance-state.ts");
    expect(state).toContain(
      "  readonly #labels = memoizeLocal((n: number): string => n.toLocaleString(this.locale));",
    );
    expect(state).toContain("  label(n: number): string {\n    return this.#labels(n);\n  }");
    const load = afterOf(p, "accept-field-load.ts");
    expect(load).toContain(
      "  private readonly users = memoizeLocal((id: string): Promise<string> => this.fetchName(id));",
    );
    expect(load).toContain("    return this.users(id);");
    const [fix] = fixesOf(p, "accept-field-load.ts");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toMatch(
      /one store per instance, as the field was, now bounded.*a failed call is not kept/,
    );
    expect(refusal(p, "refuse-field-two-methods.ts")).toBe(
      "the field `this.#kinds` is read or filled in more than one function (only deletes and clears may be elsewhere)",
    );
  });

  it("takes the field as the store when the compute makes a Map of its own", async () => {
    const p = await plan("memo-map");
    const after = afterOf(p, "accept-field-local-map.ts");
    expect(after).toContain(
      "  readonly #readers = memoizeLocal((shape: Shape): (row: unknown[]) => Record<string, unknown> => {\n    const columns = new Map<string, number>();",
    );
    expect(after).toContain(
      "  readerFor(shape: Shape): (row: unknown[]) => Record<string, unknown> {\n    return this.#readers(shape);\n  }",
    );
    expect(fixesOf(p, "accept-field-local-map.ts").map((f) => f.status)).toEqual(["rewrite"]);
  });

  it("writes the memo's type over a field declared `Map<K, V>` and set in the constructor", async () => {
    const after = afterOf(await plan("memo-map"), "accept-field-typed-in-constructor.ts");
    expect(after).toContain(
      '  private readonly builtinCache: import("@perflayer/cache").MemoizedLocal<string, boolean>;',
    );
    expect(after).toContain(
      '    this.builtinCache = memoizeLocal((name: string): boolean => this.builtins.includes(name.replace(/^node:/, "")));',
    );
    expect(after).toContain(
      "  isBuiltin(name: string): boolean {\n    return this.builtinCache(name);\n  }",
    );
  });

  it("refuses a field memo filled by a generic method, saying why per instance and why shared", async () => {
    expect(refusal(await plan("memo-map"), "refuse-field-generic-method.ts")).toBe(
      "the method that fills `this.#readers` is generic (`<T>`): its compute, moved to where the field is made, would lose its type parameters; nor can the instances share one cache: the method that fills the field `this.#readers` reads other instance state (`this.strict`): values may differ between instances, and one cache would serve them all",
    );
  });

  it("carries a hand-written bound (`if (map.size >= N) map.clear()`) into the cache's max, its limit moved above the map", async () => {
    const p = await plan("memo-map");
    const after = afterOf(p, "accept-swap-hand-bound.ts");
    expect(after).toContain(
      'const MAX_SEGMENTS = 2_048;\nconst segments = caches.cache<string, string[]>("accept-swap-hand-bound:segments", { max: MAX_SEGMENTS });\n',
    );
    expect(after).not.toContain("segments.size");
    expect(after).not.toContain("segments.clear()");
    expect(after.match(/MAX_SEGMENTS = /g)).toHaveLength(1);
    const [fix] = fixesOf(p, "accept-swap-hand-bound.ts");
    expect(fix).toMatchObject({
      status: "rewrite",
      api: "caches.cache(name, { max }) in place of the Map and its bound",
      removedLines: 1,
    });
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toContain(
      "keeps at most MAX_SEGMENTS entries, as the hand-written bound `segments.size >= MAX_SEGMENTS` did",
    );
    // Dropping the oldest entry by hand reads the map's order: not a bound the cache keeps.
    expect(refusal(p, "refuse-swap-fifo-bound.ts")).toBe(
      "the map `lowered` is used other than by get/has/set/delete/clear (`lowered.size`): iterated, sized or handed on",
    );
  });

  it("refuses a value that may be undefined", async () => {
    const p = await plan("memo-map");
    expect(refusal(p, "refuse-maybe-undefined.ts")).toBe(
      "the value `owner` may be `undefined` (no written type or literal says otherwise): the Map kept it, the cache refuses it (`set` throws, a loader resolving undefined rejects)",
    );
  });

  it("takes the fill-on-absence shape (`if (!m.has(k)) { …; m.set(k, v); } return m.get(k);`) and refuses a fill under another key", async () => {
    const after = afterOf(await plan("memo-map"), "accept-has-then-get.ts");
    expect(after).toContain(
      [
        "const slugs = memoize(",
        "  (title: string): string => {",
        "    const lower = title.toLowerCase();",
        '    return lower.replace(/[^a-z0-9]+/g, "-");',
        "  },",
        '  caches.cache<string, string>("accept-has-then-get:slugs"),',
        ");",
      ].join("\n"),
    );
    expect(after).toContain(
      "export function slugOf(title: string): string {\n  return slugs(title);\n}",
    );
    const dir = mkdtempSync(join(tmpdir(), "analyze-fix-has-fill-"));
    cpSync(join(FIXTURES, "memo-map", "refuse-has-fill-other-key.ts"), join(dir, "names.ts"));
    cpSync(join(FIXTURES, "memo-map", "accept-sync-memo.ts"), join(dir, "memo.ts"));
    const report = await analyze({ root: dir, cacheDir: false });
    const template = report.findings.find((f) => f.kind === "memoize");
    if (template === undefined) throw new Error("no memoize finding in the fixtures");
    const p = await planFixes(
      { ...report, findings: [{ ...template, file: "names.ts", startLine: 4, endLine: 9 }] },
      { root: dir },
    );
    expect(refusal(p, "names.ts")).toBe(
      "the map `names`: `set(id.trim(), …)` does not follow a lookup of the same key: a registry that must keep what it is given, not a memo",
    );
  });
});

describe("fix: WeakMap get-or-compute memos → memoizeWeak", () => {
  it("turns a JavaScript memo that tests `has` and returns `get` into memoizeWeak", async () => {
    const after = afterOf(await plan("weak-memo"), "accept-has-then-get.js");
    expect(after).toContain(
      'const configHashCache = memoizeWeak((config) => createHash("sha1").update(JSON.stringify(config)).digest("hex"));',
    );
    expect(after).toContain(
      "function hashOfConfigFor(config) {\n  return configHashCache(config);\n}",
    );
    expect(after).toContain('const { memoizeWeak } = require("@perflayer/cache");');
  });

  it("takes a compute that makes a function: that function's own return is not the compute returning early", async () => {
    const after = afterOf(await plan("weak-memo"), "accept-made-function.ts");
    expect(after).toContain(
      "const orderedArrayFunctions = memoizeWeak((comparator: Comparator<string>): (set: Set<string>) => string[] => (set: Set<string>): string[] => {",
    );
    expect(after).toContain("    return [...set].sort(comparator);\n  });");
    expect(after).toContain("  return orderedArrayFunctions(comparator);\n}");
  });

  it("takes a hit's `let` made again on a miss (v = value; map.set(key, v); return v;) as a value the memo declares, typed as the function returns it", async () => {
    const after = afterOf(await plan("weak-memo"), "accept-remade-hit.ts");
    expect(after).toContain(
      [
        "const sortedCopies = memoizeWeak((comparator: Comparator<number>): (items: Set<number>) => number[] => {",
        "  const fn: (items: Set<number>) => number[] = (items) => [...items].sort(comparator);",
        "  return fn;",
        "});",
      ].join("\n"),
    );
    expect(after).toContain("  return sortedCopies(comparator);\n}");
  });

  it("turns a sync memo per object into memoizeWeak, the compute moved whole and the function kept", async () => {
    const p = await plan("weak-memo");
    const after = afterOf(p, "accept-node-facts.ts");
    expect(after).toContain(
      [
        "const depths = memoizeWeak((node: Node): number => {",
        "  let deepest = 0;",
        "  for (const child of node.children) deepest = Math.max(deepest, child.kind.length);",
        "  const depth = deepest + 1;",
        "  return depth;",
        "});",
      ].join("\n"),
    );
    expect(after).toContain(
      "export function depthOf(node: Node): number {\n  return depths(node);\n}",
    );
    expect(after).toContain('import { memoizeWeak } from "@perflayer/cache";');
    expect(after).not.toContain("new WeakMap");
  });

  it("turns an async has/get memo into a memoizeWeak of the load (shared per key, failures not kept)", async () => {
    const p = await plan("weak-memo");
    expect(afterOf(p, "accept-async-context.ts")).toContain(
      'const users = memoizeWeak((request: Request): Promise<{ id: string }> => loadUser(request.headers.authorization ?? ""));',
    );
    const [fix] = fixesOf(p, "accept-async-context.ts");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toMatch(/share one call/);
  });

  it("turns a WeakMap made per call into a memoizeWeak made there, an object literal result kept in parentheses", async () => {
    const after = afterOf(await plan("weak-memo"), "accept-per-call.ts");
    expect(after).toContain(
      "  const children = memoizeWeak((options: Options): Options => ({ strict: base.strict || options.strict }));",
    );
    expect(after).toContain("    return children(options);");
  });

  it("turns a WeakMap field made in a JavaScript constructor into a memoizeWeak of each instance", async () => {
    const after = afterOf(await plan("weak-memo"), "accept-field-constructor.js");
    expect(after).toContain(
      "    this._rendered = memoizeWeak((module) => this.renderer.render(module.source));",
    );
    expect(after).toContain("  render(module) {\n    return this._rendered(module);\n  }");
    expect(after).toContain('const { memoizeWeak } = require("@perflayer/cache");');
  });

  it("refuses a WeakMap with expiring entries, one written elsewhere, and a field memo whose compute the constructor would shadow", async () => {
    const p = await plan("weak-memo");
    expect(refusal(p, "refuse-field-shadowed.js")).toBe(
      "the compute reads `scale`, which the constructor that makes the field declares too: moved there, it would read the constructor's",
    );
    expect(refusal(p, "refuse-weak-ttl.ts")).toBe(
      "the WeakMap `grants` keeps entries that expire: memoizeWeak keeps a result as long as its key, with no TTL",
    );
    expect(refusal(p, "refuse-weak-read-elsewhere.ts")).toMatch(
      /the map `hashes` is also read or written elsewhere \(line 16\)/,
    );
  });
});

describe("fix: guards before a memo's lookup stay in the function", () => {
  it("keeps an early return before the lookup and memoizes the rest", async () => {
    const after = afterOf(await plan("memo-map"), "accept-guarded-memo.ts");
    expect(after).toContain(
      [
        "const slugs = memoize(",
        "  (title: string): string => title",
        "      .trim()",
        "      .toLowerCase()",
        '      .replaceAll(/[^a-z0-9]+/g, "-"),',
        '  caches.cache<string, string>("accept-guarded-memo:slugs"),',
        ");",
      ].join("\n"),
    );
    expect(after).toContain(
      'export function slugOf(title: string): string {\n  if (title === "") return "untitled";\n  return slugs(title);\n}',
    );
  });

  it("keeps a guard block before a WeakMap memo", async () => {
    const after = afterOf(await plan("weak-memo"), "accept-guard-first.ts");
    expect(after).toContain(
      "const cachedSources = memoizeWeak((source: Source): CachedSource => new CachedSource(source.text));",
    );
    expect(after).toContain(
      "  if (source instanceof CachedSource) {\n    return source;\n  }\n  return cachedSources(source);\n}",
    );
  });

  it("moves a value built up after it is made (`v = new Map(); for (…) v.set(…)`) into the memoizeWeak compute, declared there", async () => {
    const p = await plan("weak-memo");
    const after = afterOf(p, "accept-built-value.ts");
    expect(after).toContain(
      [
        "const chunksByIdCache = memoizeWeak((compilation: Compilation): Map<string, Chunk> => {",
        "  const chunksById = new Map<string, Chunk>();",
        "  for (const chunk of compilation.chunks) {",
        "    chunksById.set(String(chunk.id), chunk);",
        "  }",
        "  return chunksById;",
        "});",
      ].join("\n"),
    );
    expect(after).toContain("  return chunksByIdCache(compilation);");
    // Over a module Map, memoize is not given that compute: only the store changes.
    const [swap] = fixesOf(p, "accept-built-module-map.ts");
    expect(swap).toMatchObject({
      status: "rewrite",
      api: "caches.cache(name) in place of the Map",
    });
    expect(afterOf(p, "accept-built-module-map.ts")).toContain(
      '    index = new Map<string, number>();\n    for (const word of text.split(" ")) index.set(word, (index.get(word) ?? 0) + 1);',
    );
  });

  it("types a key typed `K | undefined` that a guard before the memo narrows as NonNullable in the memo moved out", async () => {
    const after = afterOf(await plan("weak-memo"), "accept-guard-narrows-key.ts");
    expect(after).toContain(
      "const arrayKeys = memoizeWeak((array: NonNullable<ReadonlyArray<string> | undefined>): string => JSON.stringify(array));",
    );
    expect(after).toContain(
      "  if (array == null) {\n    return ABSENT;\n  }\n  return arrayKeys(array);\n}",
    );
  });

  it("does not memoize past a guard that does more than return (its state change stays): only the store changes", async () => {
    // The detector does not report this shape; the finding is handed to fix as the memo's lines.
    const file = "accept-swap-guard-does-more.ts";
    const p = await planMemoizeAt("memo-map", [{ file, startLine: 4, endLine: 14 }]);
    const [fix] = fixesOf(p, file);
    expect(fix?.status === "rewrite" && fix.api).toBe("caches.cache(name) in place of the Map");
    expect(afterOf(p, file)).toContain(
      '  if (text === "") {\n    empties += 1;\n    return 0;\n  }\n  const known = widths.get(text);',
    );
  });

  it("refuses a Map whose keys are typed to hold `undefined`: neither a memo past the guard nor a store swap (the cache's keys are non-nullable)", async () => {
    const p = await plan("memo-map");
    for (const file of [
      "refuse-swap-key-maybe-undefined.ts",
      "refuse-expression-body-optional-key.ts",
      "refuse-swap-annotated-key-maybe-undefined.ts",
    ])
      expect(refusal(p, file)).toBe(
        "the map's keys are typed `string | undefined`: the cache takes no `undefined` or `null` key, so the store cannot be swapped",
      );
  });

  it("retypes a store typed on its declaration (`const m: Map<K, V> = new Map()`) as the cache that replaces it", async () => {
    const p = await plan("memo-map");
    const file = "accept-swap-annotated.ts";
    const [fix] = fixesOf(p, file);
    expect(fix?.status === "rewrite" && fix.api).toBe("caches.cache(name) in place of the Map");
    expect(afterOf(p, file)).toContain(
      'const widths: import("@perflayer/cache").Cache<string, number> = caches.cache("accept-swap-annotated:widths");',
    );
  });

  it("does not memoize a compute that returns without storing (a return in a function it makes aside): only the store changes", async () => {
    const p = await plan("memo-map");
    const file = "accept-swap-compute-returns-early.ts";
    const [fix] = fixesOf(p, file);
    expect(fix?.status === "rewrite" && fix.api).toBe("caches.cache(name) in place of the Map");
    expect(afterOf(p, file)).toContain(
      "  if (lines.length === 0) return 0;\n  lineCounts.set(text, lines.length);",
    );
  });
});

describe("fix: maps of maps (memos of two keys) → a memo of memos", () => {
  it("turns a WeakMap of WeakMaps into memoizeWeak of memoizeWeak, the function returning outer(a)(b)", async () => {
    const p = await plan("nested-memo");
    const after = afterOf(p, "accept-weak-of-weak.ts");
    expect(after).toContain(
      [
        "const hasEntryCache = memoizeWeak((graph: ChunkGraph) =>",
        "  memoizeWeak((chunk: Chunk): boolean => hasEntry(chunk, graph)),",
        ");",
      ].join("\n"),
    );
    expect(after).toContain(
      "export function chunkHasEntry(chunk: Chunk, graph: ChunkGraph): boolean {\n  return hasEntryCache(graph)(chunk);\n}",
    );
    expect(after.match(/import \{ memoizeWeak \} from "@perflayer\/cache";/g)).toHaveLength(1);
    const [fix] = fixesOf(p, "accept-weak-of-weak.ts");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toMatch(
      /results still go with the first key object/,
    );
  });

  it("turns an inner Map into memoizeLocal, and an outer Map made per call into memoizeLocal where it was made", async () => {
    const p = await plan("nested-memo");
    expect(afterOf(p, "accept-weak-of-map.ts")).toContain(
      "const unnamedKeyCache = memoizeWeak((group: CacheGroup) =>\n  memoizeLocal((chunksKey: string): string => `${group.key} chunks:${chunksKey.toUpperCase()}`),\n);",
    );
    const perCall = afterOf(p, "accept-per-call-map-of-maps.ts");
    expect(perCall).toContain(
      "    const keyCache = memoizeLocal((group: Group) =>\n      memoizeLocal((chunks: string): string => `${group.key} ${prefix}${chunks}`),\n    );",
    );
    expect(perCall).toContain("      return keyCache(group)(chunks);");
    const [fix] = fixesOf(p, "accept-per-call-map-of-maps.ts");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toMatch(/at most 10,000 first keys/);
  });

  it("keeps the guards before the lookup in a JavaScript function and retypes the map's JSDoc", async () => {
    const after = afterOf(await plan("nested-memo"), "accept-guarded-merge.js");
    expect(after).toContain(
      '/** @type {import("@perflayer/cache").MemoizedWeak<object, import("@perflayer/cache").MemoizedWeak<object, object>>} */',
    );
    expect(after).toContain(
      [
        "const mergeCache = memoizeWeak((first) =>",
        "  memoizeWeak((second) => {",
        "    const keys = Object.keys(second);",
        "    const newMerge = { ...first, ...second, keys };",
        "    return newMerge;",
        "  }),",
        ");",
      ].join("\n"),
    );
    expect(after).toContain(
      "  if (first === undefined) return second;\n  return mergeCache(first)(second);\n};",
    );
    expect(after).toContain('const { memoizeWeak } = require("@perflayer/cache");');
  });

  it("refuses a compute that reads a third parameter or a loop's variable, an inner map used for more than one entry, and a JSDoc type naming the inner map by an alias", async () => {
    const p = await plan("nested-memo");
    expect(refusal(p, "refuse-third-argument.ts")).toBe(
      "the compute reads `raw`, a parameter or local of the function other than its two keys: the value would depend on the first call's",
    );
    expect(refusal(p, "refuse-per-call-loop-capture.ts")).toBe(
      "the compute reads `round`, declared between the map and its function: moved to where the map is made, it would see another `round` or none",
    );
    expect(refusal(p, "refuse-inner-read-elsewhere.ts")).toMatch(
      /does not end by storing the value under `module`/,
    );
    expect(refusal(p, "refuse-jsdoc-alias.js")).toBe(
      "the map `namesCache`'s JSDoc type does not spell out its inner map's key and value (`WeakMap<object, NameMap>`): it could not be retyped for the memo",
    );
  });
});

describe("fix: single slots filled on first use → lazy", () => {
  it("turns a module variable into lazy(load), the function returning get() and a reset elsewhere invalidate()", async () => {
    const after = afterOf(await plan("single-slot"), "accept-module-config.ts");
    expect(after).toContain(
      [
        "const config = lazy((): Config => {",
        '  const text = readFileSync("config.json", "utf8");',
        "  return JSON.parse(text) as Config;",
        "});",
      ].join("\n"),
    );
    expect(after).toContain("export function getConfig(): Config {\n  return config.get();\n}");
    expect(after).toContain("export function reloadConfig(): void {\n  config.invalidate();\n}");
    expect(after).toContain('import { lazy } from "@perflayer/cache";');
  });

  it("turns a private field into a lazy field of each instance", async () => {
    const after = afterOf(await plan("single-slot"), "accept-field-getter.ts");
    expect(after).toContain(
      "private readonly _subject = lazy((): string => new TextDecoder().decode(this.raw));",
    );
    expect(after).toContain("get subject(): string {\n    return this._subject.get();\n  }");
  });

  it("makes a JavaScript field set empty in the constructor lazy there, and its resets invalidate()", async () => {
    const p = await plan("single-slot");
    const after = afterOf(p, "accept-js-field.js");
    expect(after).toContain("this._fileName = lazy(() => `${this.id}.js`);");
    expect(after).toContain("getFileName() {\n    return this._fileName.get();\n  }");
    expect(after).toContain("this.id = id;\n    this._fileName.invalidate();");
    expect(after).toContain('const { lazy } = require("@perflayer/cache");');
    const [fix] = fixesOf(p, "accept-js-field.js");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toMatch(
      /a falsy value .* is now kept/,
    );
  });

  it("drops a fill in the middle of the function, its later reads reading the lazy value", async () => {
    const after = afterOf(await plan("single-slot"), "accept-fill-then-read.ts");
    expect(after).toContain(
      "readonly #text = lazy((): string => new TextDecoder().decode(this.buffer));",
    );
    expect(after).toContain(
      "size(): number {\n    return Math.max(1, this.#text.get().length);\n  }",
    );
  });

  it("turns a slot each branch of an if/else fills into a load whose branches return, nesting kept", async () => {
    const p = await plan("single-slot");
    const after = afterOf(p, "accept-branch-fill.ts");
    expect(after).toContain(
      [
        "  private readonly _header = lazy((): Headers => {",
        "    if (this.raw) {",
        "      const bytes = new TextEncoder().encode(this.raw);",
        "      return decodeHeaders(bytes);",
        "    } else {",
        "      return emptyHeaders();",
        "    }",
        "  });",
      ].join("\n"),
    );
    expect(after).toContain("get header(): Headers {\n    return this._header.get();\n  }");
    const [fix] = fixesOf(p, "accept-branch-fill.ts");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toMatch(
      /each of the 2 branches that filled the slot now returns its value/,
    );
  });

  it("takes an else-if chain after a guard that returns the slot, in a JavaScript constructor", async () => {
    const after = afterOf(await plan("single-slot"), "accept-guard-branches.js");
    expect(after).toContain(
      [
        "    this._keepAlive = lazy(() => {",
        "      if (this.headers.connection) {",
        "        return /keep-alive/i.test(this.headers.connection);",
        '      } else if (this.httpVersion === "1.0") {',
        "        return false;",
        "      } else {",
        "        return true;",
        "      }",
        "    });",
      ].join("\n"),
    );
    expect(after).toContain("isKeepAlive() {\n    return this._keepAlive.get();\n  }");
  });

  it("refuses an if/else one branch of which does not fill the slot", async () => {
    expect(refusal(await plan("single-slot"), "refuse-branch-without-fill.ts")).toMatch(
      /^the slot is not filled in a shape recognised/,
    );
  });

  // The detector reports only slots it can tell are memos; these shapes are handed to fix as findings.
  async function planSlot(file: string, startLine: number, endLine: number): Promise<FixPlan> {
    return planMemoizeAt("single-slot", [{ file, startLine, endLine }]);
  }

  it("keeps a value finished through the slot after its fill in a local of the load, which returns it", async () => {
    const p = await plan("single-slot");
    expect(afterOf(p, "accept-fill-then-finish.ts")).toContain(
      [
        "  private readonly buffer = lazy((): Buffer => {",
        "    const buffer2 = Buffer.alloc(2);",
        "    buffer2[0] = this.lcid & 0xff;",
        "    buffer2[1] = this.sortId & 0xff;",
        "    return buffer2;",
        "  });",
      ].join("\n"),
    );
    expect(afterOf(p, "accept-fill-then-finish.ts")).toContain(
      "  toBuffer(): Buffer {\n    return this.buffer.get();\n  }",
    );
    const block = afterOf(p, "accept-block-fill-then-finish.ts");
    expect(block).toContain(
      [
        "  readonly #key = lazy((): string => {",
        "    const key2 = normalize(this.sql);",
        "    references.set(key2, this);",
        "    return key2;",
        "  });",
      ].join("\n"),
    );
    expect(block).toContain("  get key(): string {\n    return this.#key.get();\n  }");
    const [fix] = fixesOf(p, "accept-fill-then-finish.ts");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toMatch(
      /the 2 statement\(s\) after the fill that finished the value through `this.buffer` now finish the load's `buffer2`/,
    );
  });

  it("refuses statements after the fill that read the slot under another `this` or write it again", async () => {
    const p = await planMemoizeAt("single-slot", [
      { file: "refuse-finish-rebound.ts", startLine: 8, endLine: 13 },
      { file: "refuse-finish-writes-slot.ts", startLine: 5, endLine: 8 },
    ]);
    expect(refusal(p, "refuse-finish-rebound.ts")).toBe(
      "the statements after the fill read `this._label` in a function with its own `this`",
    );
    expect(refusal(p, "refuse-finish-writes-slot.ts")).toBe(
      "the compute reads the slot `banner` itself",
    );
  });

  // The try/catch fills, handed to fix as findings (the detector does not report them): one plan.
  let tryFills: Promise<FixPlan> | undefined;
  function planTryFills(): Promise<FixPlan> {
    tryFills ??= (async () => {
      return planMemoizeAt("single-slot", [
        { file: "accept-try-fill.ts", startLine: 4, endLine: 11 },
        { file: "refuse-try-finally.ts", startLine: 5, endLine: 13 },
        { file: "refuse-catch-without-fill.ts", startLine: 4, endLine: 10 },
      ]);
    })();
    return tryFills;
  }

  it("turns a slot filled at the end of both a try and its catch into a load that returns from each", async () => {
    const p = await planTryFills();
    const after = afterOf(p, "accept-try-fill.ts");
    expect(after).toContain(
      [
        "const serviceName = lazy((): string => {",
        "  try {",
        "    const argv0 = process.argv0;",
        '    return argv0 ? `unknown_service:${argv0}` : "unknown_service";',
        "  } catch {",
        '    return "unknown_service";',
        "  }",
        "});",
      ].join("\n"),
    );
    expect(after).toContain(
      "export function defaultServiceName(): string {\n  return serviceName.get();\n}",
    );
  });

  it("refuses a try/catch fill with a finally block, or whose catch does not fill the slot", async () => {
    const p = await planTryFills();
    expect(refusal(p, "refuse-try-finally.ts")).toMatch(
      /^the slot is not filled in a shape recognised/,
    );
    expect(refusal(p, "refuse-catch-without-fill.ts")).toMatch(
      /^the slot is not filled in a shape recognised/,
    );
  });

  it("takes a guard that returns the slot and a fill from a local the getter then returns", async () => {
    const after = afterOf(await plan("single-slot"), "accept-guard-local.ts");
    expect(after).toContain(
      [
        "  private readonly _tracer = lazy((): Tracer => {",
        '    const name = "@acme/node";',
        '    const tracer = getTracer(name, "1.0.0");',
        "    return tracer;",
        "  });",
      ].join("\n"),
    );
    expect(after).toContain("  get tracer(): Tracer {\n    return this._tracer.get();\n  }");
  });

  it("keeps an async load's promise: concurrent callers share it, a failure is not kept", async () => {
    const p = await planSlot("accept-async-connect.ts", 10, 14);
    expect(afterOf(p, "accept-async-connect.ts")).toContain(
      [
        "const settings = lazy(async (): Promise<Settings> => {",
        '  const text = await readFile("settings.json", "utf8");',
        "  return JSON.parse(text) as Settings;",
        "});",
      ].join("\n"),
    );
    const [fix] = fixesOf(p, "accept-async-connect.ts");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toMatch(/share one load/);
  });

  it("turns a promise-returning getter whose chain keeps the value into a lazy of the chain, the kept value its resolution", async () => {
    const p = await plan("single-slot");
    const after = afterOf(p, "accept-promise-chain.ts");
    expect(after).toContain(
      [
        "  private readonly projectIdPrefix = lazy((): Promise<string> => findProjectId(this.app)",
        "    .then((projectId) => {",
        "      if (projectId === null) {",
        "        throw new Error(`No project ID for app ${this.app.name}. Set one in its options.`);",
        "      }",
        "      return `projects/${projectId}`;",
        "    }));",
      ].join("\n"),
    );
    expect(after).toContain(
      "  private getProjectIdPrefix(): Promise<string> {\n    return this.projectIdPrefix.get();\n  }",
    );
    expect(after).not.toContain("Promise.resolve(");
    const [fix] = fixesOf(p, "accept-promise-chain.ts");
    expect(fix?.status === "rewrite" && fix.notes.join(" ")).toMatch(
      /share one load, and a failed load is not kept/,
    );
    // The chain reads the getter's parameter: the kept value would be the first call's.
    expect(refusal(p, "refuse-promise-chain-parameter.ts")).toBe(
      "the compute reads `region`, a parameter or local of the function: the value would depend on the first call's",
    );
  });

  it("takes a slot filled with what a Map of the getter's own builds (the Map goes into the load, its nesting kept)", async () => {
    const p = await plan("single-slot");
    expect(afterOf(p, "accept-slot-of-local-map.ts")).toContain(
      [
        "  readonly #byName = lazy((): Map<string, Entry[]> => {",
        "    const index = new Map<string, Entry[]>();",
        "    for (const entry of this.entries) {",
        "      const list = index.get(entry.name);",
        "      if (list) list.push(entry);",
        "      else index.set(entry.name, [entry]);",
        "    }",
        "    return index;",
        "  });",
      ].join("\n"),
    );
    expect(afterOf(p, "accept-slot-of-local-map.ts")).toContain(
      "  byName(): Map<string, Entry[]> {\n    return this.#byName.get();\n  }",
    );
  });

  it("lets the value's callbacks read their own parameters, but not the getter's", async () => {
    // Both findings handed to fix in one plan (one analysis of the folder).
    const p = await planMemoizeAt("single-slot", [
      { file: "accept-callback-parameters.ts", startLine: 15, endLine: 23 },
      { file: "refuse-callback-reads-parameter.ts", startLine: 13, endLine: 17 },
    ]);
    const after = afterOf(p, "accept-callback-parameters.ts");
    expect(after).toContain("private readonly flattened = lazy((): string[] => this.rules.reduce(");
    expect(after).toContain("  enabledNames(): string[] {\n    return this.flattened.get();\n  }");
    expect(refusal(p, "refuse-callback-reads-parameter.ts")).toBe(
      "the compute reads `zone`, a parameter or local of the function: the value would depend on the first call's",
    );
  });

  it("refuses a slot read without the compute path, written with another value, a compute that reads the function's parameter or may load nothing, and a field of a derived class", async () => {
    expect(
      refusal(await planSlot("refuse-read-elsewhere.ts", 6, 9), "refuse-read-elsewhere.ts"),
    ).toBe(
      "the slot `token` is also read without the compute path (line 14: `token !== undefined`)",
    );
    expect(
      refusal(await planSlot("refuse-written-elsewhere.ts", 6, 9), "refuse-written-elsewhere.ts"),
    ).toBe("the slot `locale` is also written with another value (line 14: `locale = next`)");
    expect(
      refusal(await planSlot("refuse-reads-parameter.ts", 6, 9), "refuse-reads-parameter.ts"),
    ).toBe(
      "the compute reads `path`, a parameter or local of the function: the value would depend on the first call's",
    );
    expect(
      refusal(await planSlot("refuse-load-may-be-empty.ts", 10, 15), "refuse-load-may-be-empty.ts"),
    ).toBe(
      "the compute calls `this.readInstanceId`, whose declared result may be empty (`undefined`, `null` or `void`): the slot's test computed it again, lazy would keep it",
    );
    expect(
      refusal(await planSlot("refuse-derived-field.ts", 9, 12), "refuse-derived-field.ts"),
    ).toBe(
      "the class extends another and `this.rendered` is not set in its constructor: a lazy field would be initialised after `super()`, which may read it first",
    );
  });
});
