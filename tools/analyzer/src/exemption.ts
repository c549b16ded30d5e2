import picomatch from "picomatch";
import { PerflayerConfigError, describeValue } from "@perflayer/core";
import type { AnalyzerFinding, Exemption } from "./analysis-report.js";

const EXAMPLE =
  '{ "file": "packages/cache-redis/src/redis-tier.ts", "kind": "counter", "reason": "runtime packages depend only on core and cache: cache-redis cannot use @perflayer/monitor" }';

/**
 * The entries whose `reason` is missing or blank, as one typed error (or none). Run before the
 * schema so that this mistake gets its own message and code.
 * @param value - the `exemptions` value
 * @param where - what is being read, e.g. a config file's path or `analyze()`
 * @param path - the JSON path of the list, e.g. `$.exemptions`
 * @returns the error to throw, or undefined
 */
export function missingReason(
  value: unknown,
  where: string,
  path: string,
): PerflayerConfigError | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const [i, entry] of value.entries()) {
    if (typeof entry !== "object" || entry === null) continue;
    const reason = (entry as { reason?: unknown }).reason;
    if (typeof reason === "string" && reason.trim() !== "") continue;
    const file = (entry as { file?: unknown }).file;
    return new PerflayerConfigError(
      "ERR_EXEMPTION_REASON",
      `${where}: Expected \`${path}[${i}].reason\`${typeof file === "string" ? ` (file "${file}")` : ""} to say why the findings it matches stay, got ${reason === undefined ? "none" : describeValue(reason)}. An exemption without a reason cannot be reviewed; write the reason, or fix the code and remove the entry. Pass e.g. ${EXAMPLE}.`,
    );
  }
  return undefined;
}

function rangeOf(lines: string): { from: number; to: number } {
  const [from = 0, to = from] = lines.split("-").map(Number);
  return { from, to };
}

/**
 * Line ranges written backwards (`"160-120"`), which the schema's pattern lets through.
 * @param list - schema-valid exemptions
 * @param path - the JSON path of the list
 * @returns one problem per such range
 */
export function reversedRanges(list: readonly Exemption[], path: string): string[] {
  const problems: string[] = [];
  list.forEach((e, i) => {
    if (e.lines === undefined) return;
    const { from, to } = rangeOf(e.lines);
    if (from > to)
      problems.push(
        `Expected \`${path}[${i}].lines\` to run from a line to a later one, got "${e.lines}". Pass e.g. "${to}-${from}".`,
      );
  });
  return problems;
}

/**
 * Whether an exemption covers a finding: the file glob matches, and the kind, line range and
 * symbol when given.
 * @param exemption - the entry
 * @param finding - the finding
 * @returns true when it matches
 */
export function exempts(exemption: Exemption, finding: AnalyzerFinding): boolean {
  if (!picomatch.isMatch(finding.file, exemption.file)) return false;
  const kind = exemption.kind;
  if (
    kind !== undefined &&
    kind !== finding.kind &&
    kind !== finding.ruleId &&
    kind !== finding.category
  )
    return false;
  if (exemption.lines !== undefined) {
    const { from, to } = rangeOf(exemption.lines);
    if (finding.startLine < from || finding.endLine > to) return false;
  }
  const symbol = exemption.symbol;
  if (symbol !== undefined) {
    const name = finding.name;
    const named = name !== undefined && (name === symbol || name.split(".").pop() === symbol);
    if (!named && !finding.evidence.some((e) => e.includes(`\`${symbol}\``))) return false;
  }
  return true;
}

/**
 * An exemption in a few words, for warnings and reports: `file (kind, lines 120-160, symbol #hits)`.
 * @param exemption - the entry
 * @returns the description
 */
export function describeExemption(exemption: Exemption): string {
  const parts = [
    exemption.kind,
    exemption.lines === undefined ? undefined : `lines ${exemption.lines}`,
    exemption.symbol === undefined ? undefined : `symbol ${exemption.symbol}`,
  ].filter((p) => p !== undefined);
  return `${exemption.file}${parts.length === 0 ? "" : ` (${parts.join(", ")})`}`;
}
