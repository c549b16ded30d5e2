// A rewriter that throws (a fault injected here: a bug of ours met on real code) leaves its finding
// alone with the reason; `fix` plans the rest and `analyze` (whose line prediction runs the
// rewriters) still reports every finding.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, vi } from "vitest";
import { analyze, planFixes } from "@perflayer/analyzer";

vi.mock("../src/fix/rewrite-timeout-race.js", () => ({
  rewriteTimeoutRace: () => {
    throw new TypeError("injected fault");
  },
}));

it("refuses the findings of a rewriter that throws, with the error as the reason, and analysis goes on", async () => {
  const dir = mkdtempSync(join(tmpdir(), "analyze-fix-fault-"));
  cpSync(
    join(import.meta.dirname, "__fixtures__", "fix", "timeout-race", "accept-two-races.ts"),
    join(dir, "races.ts"),
  );
  const plan = await planFixes([dir], { root: dir });
  expect(plan.fixes.map((f) => f.status)).toEqual(["refused", "refused"]);
  for (const fix of plan.fixes)
    expect(fix.status === "refused" && fix.reason).toBe(
      "the timeout-race rewriter failed on this code (TypeError: injected fault): left alone — a bug in perflayer-analyze fix; please report it with this file",
    );
  const report = await analyze({ root: dir, cacheDir: false, clones: false });
  expect(report.findings.map((f) => f.kind)).toEqual(["timeout-race", "timeout-race"]);
});
