import type { CycleRule } from "./arch-config.js";
import type { FactsCache } from "./facts-cache.js";
import { findCycles } from "./graph.js";
import type { Cycle } from "./graph.js";
import type { AddFinding } from "./package-checks.js";

/** The finding's text: the size of the tangle, then the first edges to cut and how many more. */
function cycleMessage(cycle: Cycle, kind: "import" | "type-only import"): string {
  const shown = cycle.cut
    .slice(0, 5)
    .map((e) => `${e.from} → ${e.to} (on cycles through ${e.cycleNodes} modules)`);
  const more = cycle.cut.length - shown.length;
  return `${kind} cycle through ${cycle.nodes.length} modules (${cycle.nodes.slice(0, 4).join(", ")}${cycle.nodes.length > 4 ? ", …" : ""}); cutting ${cycle.cut.length} of its ${cycle.edges} imports breaks it, first: ${shown.join("; ")}${more > 0 ? `; and ${more} more (all in --format json or sarif)` : ""}`;
}

/**
 * Finds the cycles of the runtime graph and the tangles type-only imports add, and reports each as
 * one finding at the level the config sets. A graph unchanged since the last run takes its
 * cycles (and their cuts) from the cache.
 * @param rule - the config's `cycles`
 * @param runtimeEdges - imports that load modules
 * @param allEdges - every import, type-only ones included
 * @param cache - the run's cache
 * @param add - where findings go
 * @returns the runtime cycles and the type-only tangles
 */
export function cycleFindings(
  rule: CycleRule,
  runtimeEdges: ReadonlyMap<string, ReadonlySet<string>>,
  allEdges: ReadonlyMap<string, ReadonlySet<string>>,
  cache: FactsCache,
  add: AddFinding,
): { cycles: Cycle[]; typeOnlyCycles: Cycle[] } {
  const cycles = rule.runtime === "off" ? [] : cache.cycles(runtimeEdges, findCycles);
  const runtimeKeys = new Set(cycles.map((c) => c.nodes.join("\u0000")));
  const typeOnlyCycles =
    rule.typeOnly === "off"
      ? []
      : cache.cycles(allEdges, findCycles).filter((c) => !runtimeKeys.has(c.nodes.join("\u0000")));
  for (const [ruleId, found, severity, kind] of [
    ["arch/cycle", cycles, rule.runtime === "warning" ? "warning" : "error", "import"],
    [
      "arch/cycle-type-only",
      typeOnlyCycles,
      rule.typeOnly === "error" ? "error" : "warning",
      "type-only import",
    ],
  ] as const)
    for (const cycle of found)
      add(
        ruleId,
        severity,
        cycle.nodes[0] ?? "",
        1,
        cycleMessage(cycle, kind),
        cycle.nodes.join(","),
      );
  return { cycles, typeOnlyCycles };
}
