import type { Finding, RuleDescriptor } from "./finding.js";

/** The tool that produced a SARIF log. */
export interface SarifTool {
  /** e.g. `perflayer-analyze`. */
  readonly name: string;
  /** The tool's version. */
  readonly version: string;
  /** Where to learn about it. */
  readonly informationUri?: string;
}

/** A SARIF 2.1.0 log, as plain data (serialise with `JSON.stringify`). */
export interface SarifLog {
  /** The SARIF JSON schema. */
  readonly $schema: string;
  /** Always 2.1.0. */
  readonly version: "2.1.0";
  /** One run of one tool. */
  readonly runs: readonly unknown[];
}

/**
 * Writes findings as SARIF 2.1.0 for code scanning: one run, the rules used, one result per finding
 * with its region and a stable `partialFingerprints` entry.
 * @param tool - name and version
 * @param rules - descriptors of the rules
 * @param findings - the findings
 * @param extra - per-finding extra properties (e.g. confidence), keyed by fingerprint
 * @returns the log
 */
export function toSarif(
  tool: SarifTool,
  rules: readonly RuleDescriptor[],
  findings: readonly Finding[],
  extra: ReadonlyMap<string, Record<string, unknown>> = new Map(),
): SarifLog {
  const used = [...new Set(findings.map((f) => f.ruleId))];
  const known = new Map(rules.map((r) => [r.id, r]));
  const ruleList = used.map((id) => known.get(id) ?? { id, description: id });
  const index = new Map(ruleList.map((r, i) => [r.id, i]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            ...(tool.informationUri === undefined ? {} : { informationUri: tool.informationUri }),
            rules: ruleList.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              ...(r.helpUri === undefined ? {} : { helpUri: r.helpUri }),
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId),
          level: f.severity,
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file, uriBaseId: "%SRCROOT%" },
                region: { startLine: f.startLine, endLine: f.endLine },
              },
            },
          ],
          partialFingerprints: { "perflayer/v1": f.fingerprint },
          ...(extra.has(f.fingerprint) ? { properties: extra.get(f.fingerprint) } : {}),
        })),
        columnKind: "unicodeCodePoints",
      },
    ],
  };
}
