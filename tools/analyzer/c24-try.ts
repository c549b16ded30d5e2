import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planFixes } from "./src/fix/fix-plan.ts";
const dir = mkdtempSync(join(tmpdir(), "c24-fx-"));
cpSync(process.argv[2]!, dir, { recursive: true });
const plan = await planFixes([dir], { root: dir });
for (const f of plan.fixes) console.log(f.status, f.finding.kind, f.finding.file, f.finding.startLine, f.status === "rewrite" ? `\n${f.diff}` : f.reason);
console.log(plan.totals, plan.unsupported);
