// `fix --write`: rewrites are type-checked before they are written (a file that no longer
// type-checks is rolled back, with the diagnostics), `--test` restores everything when it fails,
// and the CLI prints diffs and a summary (dry run by default).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIo } from "@perflayer/toolkit";
import { applyFixes, planFixes, run } from "@perflayer/analyzer";
import { scratchProject } from "./fix-scratch.js";

const RACE = (work: string): string =>
  [
    `export async function bounded(): Promise<number> {`,
    `  return Promise.race([`,
    `    ${work},`,
    `    new Promise<number>((_, reject) => setTimeout(() => reject(new Error("slow")), 100)),`,
    `  ]);`,
    `}`,
    ``,
  ].join("\n");

describe("fix --write: verified", () => {
  it("writes a rewrite that type-checks, and rolls back one that does not, with the diagnostics", async () => {
    const root = scratchProject({
      "src/good.ts": RACE("Promise.resolve(1)"),
      // A thenable races fine, but withTimeout takes a promise or a function: a type error.
      "src/thenable.ts": RACE(
        "{ then: (ok: (n: number) => void) => ok(1) } as PromiseLike<number>",
      ),
    });
    const plan = await planFixes([join(root, "src")], { root });
    expect(plan.totals).toMatchObject({ findings: 2, rewritten: 2 });
    const result = applyFixes(plan);
    expect(result.written).toEqual(["src/good.ts"]);
    expect(readFileSync(join(root, "src/good.ts"), "utf8")).toContain(
      "return withTimeout(Promise.resolve(1), 100);",
    );
    expect(result.rolledBack).toHaveLength(1);
    expect(result.rolledBack[0]?.file).toBe("src/thenable.ts");
    expect(result.rolledBack[0]?.diagnostics.join("\n")).toMatch(/TS2769|TS2345/);
    expect(readFileSync(join(root, "src/thenable.ts"), "utf8")).toBe(
      RACE("{ then: (ok: (n: number) => void) => ok(1) } as PromiseLike<number>"),
    );
    // The finding's figure is what its rewrite removes in place; the file's new import line is
    // setup, charged to the summary: the written file loses the one less the other.
    const [good] = plan.fixes;
    expect(good?.status === "rewrite" && good.removedLines).toBeGreaterThan(0);
    expect(result.setupLines).toBe(1);
    expect(result.removedLines).toBe(
      good?.status === "rewrite" ? good.removedLines - 1 : Number.NaN,
    );
    expect(result.predictedLines).toBe(result.removedLines);
  }, 120_000);

  it("restores every written file when the --test command fails (each rewrite type-checked first: none rolled back)", async () => {
    // Beside the race, the retry and TTL-slot shapes of fix-rewrites.test.ts: one type-check of
    // them all here (a scratch program costs seconds), their rewrites written, then restored.
    const fixture = (kind: string, file: string): string =>
      readFileSync(join(import.meta.dirname, "__fixtures__", "fix", kind, file), "utf8");
    const files: Record<string, string> = {
      "src/good.ts": RACE("Promise.resolve(1)"),
      "src/token.ts": fixture("ttl-slot", "accept-expiry-stamp.ts"),
      "src/counted.ts": fixture("retry-loop", "accept-counted-condition.ts"),
      "src/countdown.ts": fixture("retry-loop", "accept-countdown.ts"),
      "src/wait-before.ts": fixture("retry-loop", "accept-wait-before.ts"),
      // Session 15's shapes: a slot filled from a local the getter returns, hrtime tuples, a
      // compute that makes a function, a hit's `let` made again on a miss, a key a guard narrowed.
      "src/tracer.ts": fixture("single-slot", "accept-guard-local.ts"),
      "src/hrtime.ts": fixture("timer-delta", "accept-hrtime.ts"),
      "src/made.ts": fixture("weak-memo", "accept-made-function.ts"),
      "src/remade.ts": fixture("weak-memo", "accept-remade-hit.ts"),
      "src/narrowed.ts": fixture("weak-memo", "accept-guard-narrows-key.ts"),
      // Session 16's: marks in fields, a TTL from the loaded value, a delay function.
      "src/job.ts": fixture("timer-delta", "accept-field-mark.ts"),
      "src/session.ts": fixture("timer-delta", "accept-field-mark-constructor.ts"),
      "src/expiring.ts": fixture("ttl-slot", "accept-ttl-from-value.ts"),
      "src/retry-after.ts": fixture("retry-loop", "accept-retry-after.ts"),
      "src/linear.ts": fixture("retry-loop", "accept-linear-delay.ts"),
      // Session 19's: a module Map typed on its declaration, retyped as the cache.
      "src/widths.ts": fixture("memo-map", "accept-swap-annotated.ts"),
    };
    const root = scratchProject(files);
    const plan = await planFixes([join(root, "src")], { root });
    expect(plan.totals).toMatchObject({ findings: 17, rewritten: 17 });
    const result = applyFixes(plan, { test: 'node -e "process.exit(3)"' });
    expect(result).toMatchObject({
      written: [],
      rolledBack: [],
      restored: true,
      test: { exitCode: 3 },
    });
    for (const [path, text] of Object.entries(files))
      expect(readFileSync(join(root, path), "utf8")).toBe(text);
  }, 120_000);
});

describe("fix --write: Flow files", () => {
  it("writes a Flow file's rewrite that carries its annotations along (type syntax is not the rewrite's error there)", async () => {
    const flow = [
      "// @flow",
      "export function mapObject(object: any, fn: (val: any) => any): any {",
      "  let memo = new Map();",
      "  let memoizedFn = (val: any) => {",
      "    let res = memo.get(val);",
      "    if (res == null) {",
      "      res = fn(val);",
      "      memo.set(val, res);",
      "    }",
      "    return res;",
      "  };",
      "  return memoizedFn(object);",
      "}",
      "",
    ].join("\n");
    const root = scratchProject({ "src/serializer.js": flow });
    const plan = await planFixes([join(root, "src")], { root });
    expect(plan.totals).toMatchObject({ findings: 1, rewritten: 1 });
    const result = applyFixes(plan);
    expect(result.rolledBack).toEqual([]);
    expect(result.written).toEqual(["src/serializer.js"]);
    expect(readFileSync(join(root, "src/serializer.js"), "utf8")).toContain(
      "let memo = memoizeLocal((val: any) => fn(val));",
    );
  }, 120_000);
});

describe("perflayer-analyze fix (CLI)", () => {
  it("dry-runs by default: a diff per finding and a summary, nothing written", async () => {
    const root = scratchProject({ "src/good.ts": RACE("Promise.resolve(1)") });
    const io = memoryIo(root);
    expect(await run(["fix", "src", "--root", "."], io)).toBe(0);
    expect(io.out()).toContain("src/good.ts:2-5 timeout-race → withTimeout(work, ms)");
    expect(io.out()).toContain("+  return withTimeout(Promise.resolve(1), 100);");
    expect(io.out()).toContain("1 finding(s) of the kinds fix rewrites");
    expect(readFileSync(join(root, "src/good.ts"), "utf8")).toBe(RACE("Promise.resolve(1)"));
  }, 120_000);

  it("prints the plan as JSON with --json", async () => {
    const root = scratchProject({ "src/good.ts": RACE("Promise.resolve(1)") });
    const io = memoryIo(root);
    expect(await run(["fix", "src", "--root", ".", "--json"], io)).toBe(0);
    const { plan } = JSON.parse(io.out()) as {
      plan: {
        totals: object;
        files: object[];
        fixes: { status: string; finding: { kind: string } }[];
      };
    };
    expect(plan.totals).toMatchObject({ findings: 1, rewritten: 1, refused: 0 });
    expect(plan.fixes[0]).toMatchObject({ status: "rewrite", finding: { kind: "timeout-race" } });
    expect(plan.files[0]).toEqual({
      file: "src/good.ts",
      path: join(root, "src/good.ts"),
      modules: ["@perflayer/response"],
      // Its new import: setup, charged to the summary, not to the finding.
      setupLines: 1,
    });
  }, 120_000);

  it("answers --test without --write, and an unknown --kind, as usage errors (exit 2)", async () => {
    const root = scratchProject({ "src/good.ts": RACE("Promise.resolve(1)") });
    const io = memoryIo(root);
    expect(await run(["fix", "src", "--test", "true"], io)).toBe(2);
    expect(await run(["fix", "src", "--kind", "clones"], io)).toBe(2);
    expect(io.err()).toContain("ERR_USAGE: --test runs after writing: pass --write too.");
    expect(io.err()).toMatch(
      /Expected --kind to be one of timeout-race, retry-poll, retry-backoff, timer-delta\b.*, got "clones"\./,
    );
  }, 120_000);
});

describe("fix: the shared module", () => {
  it("puts the monitor where --shared-module says, and refuses a path that is not a module", async () => {
    const root = scratchProject({
      "src/job.ts": [
        "export async function job(run: () => Promise<void>): Promise<void> {",
        "  const start = Date.now();",
        "  await run();",
        "  console.log(`job took ${Date.now() - start} ms`);",
        "}",
        "",
      ].join("\n"),
    });
    const io = memoryIo(root);
    expect(
      await run(
        ["fix", "src", "--root", ".", "--shared-module", "src/obs/metrics.ts", "--write"],
        io,
      ),
    ).toBe(0);
    expect(readFileSync(join(root, "src/job.ts"), "utf8")).toContain(
      'import { monitor } from "./obs/metrics.js";',
    );
    expect(readFileSync(join(root, "src/obs/metrics.ts"), "utf8")).toContain(
      "export const monitor: PerformanceMonitor = new PerformanceMonitor();",
    );
    expect(io.out()).toContain("written: 2 file(s) (src/job.ts, src/obs/metrics.ts)");
    const bad = memoryIo(root);
    expect(await run(["fix", "src", "--shared-module", "/tmp/x"], bad)).toBe(2);
    expect(bad.err()).toContain(
      "Expected `sharedModule` to be a .ts or .js path relative to the root",
    );
  }, 120_000);
});
