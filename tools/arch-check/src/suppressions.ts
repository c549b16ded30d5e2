import picomatch from "picomatch";
import { fingerprint } from "@perflayer/toolkit";
import type { Finding } from "@perflayer/toolkit";
import type { ExceptionRule } from "./arch-config.js";
import type { SuppressedFinding } from "./arch-report.js";
import type { Suppression } from "./imports.js";

/** A finding with the import specifier it is about (exceptions may match on it). */
export interface Draft {
  /** The finding. */
  readonly finding: Finding;
  /** The specifier, for import findings. */
  readonly specifier?: string;
}

function problem(file: string, line: number, message: string, key: string): Finding {
  return {
    ruleId: "arch/suppression",
    severity: "warning",
    file,
    startLine: line,
    endLine: line,
    message,
    fingerprint: fingerprint("arch/suppression", file, key),
  };
}

/**
 * Applies `// arch-check-ignore-next-line` comments and the config's `exceptions`: the findings they
 * match move to the suppressed list with their reason (nothing is hidden). A comment without a
 * reason suppresses nothing and is reported; comments and exceptions that match nothing are
 * reported too, so stale ones get cleaned up.
 * @param drafts - the findings
 * @param comments - suppression comments by file (relative path)
 * @param exceptions - the config's exceptions
 * @param wholeRoot - whether the whole root was checked (only then is an unmatched exception stale)
 * @returns the findings left and the suppressed ones
 */
export function applySuppressions(
  drafts: readonly Draft[],
  comments: ReadonlyMap<string, readonly Suppression[]>,
  exceptions: readonly ExceptionRule[],
  wholeRoot: boolean,
): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const usedComments = new Set<Suppression>();
  const usedExceptions = new Set<ExceptionRule>();
  const compiled = exceptions.map((rule) => ({
    rule,
    file: picomatch([...rule.files], { dot: true }),
    imports: rule.imports === undefined ? undefined : picomatch([...rule.imports]),
  }));
  for (const { finding, specifier } of drafts) {
    const comment = comments
      .get(finding.file)
      ?.find(
        (c) =>
          c.line === finding.startLine &&
          c.reason !== "" &&
          (c.rules.length === 0 || c.rules.includes(finding.ruleId)),
      );
    if (comment !== undefined) {
      usedComments.add(comment);
      suppressed.push({ finding, by: "comment", reason: comment.reason });
      continue;
    }
    const exception = compiled.find(
      (e) =>
        e.rule.rule === finding.ruleId &&
        e.file(finding.file) &&
        (e.imports === undefined || (specifier !== undefined && e.imports(specifier))),
    );
    if (exception !== undefined) {
      usedExceptions.add(exception.rule);
      suppressed.push({ finding, by: "config", reason: exception.rule.reason });
      continue;
    }
    findings.push(finding);
  }
  for (const [file, list] of comments)
    for (const c of list) {
      const where = `${c.rules.join(", ") || "every rule"}`;
      if (c.reason === "")
        findings.push(
          problem(
            file,
            c.line - 1,
            `arch-check-ignore-next-line (${where}) needs a reason: add \` -- why\`; it suppresses nothing until then`,
            `${where}:no-reason`,
          ),
        );
      else if (!usedComments.has(c))
        findings.push(
          problem(
            file,
            c.line - 1,
            `arch-check-ignore-next-line (${where}) matches no finding on the next line; remove it`,
            `${where}:unused`,
          ),
        );
    }
  exceptions.forEach((rule, i) => {
    if (wholeRoot && !usedExceptions.has(rule))
      findings.push(
        problem(
          "perflayer.arch.json",
          1,
          `exceptions[${i}] (${rule.rule} in ${rule.files.join(", ")}) matches no finding; remove it`,
          `exceptions:${rule.rule}:${rule.files.join(",")}`,
        ),
      );
  });
  return { findings, suppressed };
}
