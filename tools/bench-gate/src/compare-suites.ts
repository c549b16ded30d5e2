import type { Comparison } from "./compare.js";
import type { NamedComparison } from "./render.js";
import { MODES, listSuite, runAlternating, toleranceFor } from "./run-suites.js";
import type { RunSuitesOptions } from "./run-suites.js";
import type { Sample } from "./runners.js";
import type { ChildRequest } from "./suite-child.js";
import { confirmed, decide } from "./verdict.js";
import type { DecisionOptions } from "./verdict.js";

/** Options of {@link compareSuites}. */
export interface CompareSuitesOptions extends Omit<RunSuitesOptions, "files" | "tolerance"> {
  /** Each suite file as it is in the base tree and in the head tree (absolute paths). */
  readonly suites: readonly {
    /** The suite file in the base tree. */
    readonly base: string;
    /** The same suite file in the head tree. */
    readonly head: string;
  }[];
  /** How to decide. */
  readonly decision: DecisionOptions;
  /** Processes per side and benchmark. @defaultValue 4 (2 for instructions benchmarks) */
  readonly forks?: number;
}

/** What {@link compareSuites} found. */
export interface SuiteComparison {
  /** One comparison per benchmark present on both sides (base = base tree, head = head tree). */
  readonly results: NamedComparison[];
  /** Benchmarks that could not be compared, with the reason. */
  readonly notes: string[];
}

/**
 * Compares the same suites in two trees (e.g. a checkout of `main` and the working tree): for each
 * benchmark, our side is measured in fresh processes taken alternately from the base and the head
 * tree, decided with the bootstrap interval and Mann–Whitney, and a regression is re-measured from
 * scratch before it is reported. Benchmarks only on one side, or that cannot be measured on one, are
 * listed in `notes`.
 * @param options - the suite pairs, mode, decision rule and process settings
 * @returns the comparisons and notes
 */
export async function compareSuites(options: CompareSuitesOptions): Promise<SuiteComparison> {
  const results: NamedComparison[] = [];
  const notes: string[] = [];
  for (const pair of options.suites) {
    const head = await listSuite(pair.head, options);
    let baseNames: Set<string>;
    try {
      baseNames = new Set((await listSuite(pair.base, options)).benchmarks.map((b) => b.name));
    } catch (error) {
      notes.push(
        `${head.suite}: the base tree's suite could not be read: ${(error as Error).message}`,
      );
      continue;
    }
    for (const listed of head.benchmarks) {
      const id = `${head.suite} › ${listed.name}`;
      if (options.filter !== undefined && !id.includes(options.filter)) continue;
      if (options.mode === "quick" && !listed.quick) continue;
      if (!baseNames.has(listed.name)) {
        notes.push(`${id}: only in head; not compared.`);
        continue;
      }
      options.onProgress?.(id);
      const forks = options.forks ?? (listed.measure === "instructions" ? 2 : 4);
      const threshold = toleranceFor(listed.measure, {
        tolerance: options.decision.threshold,
        ...(options.instructionsTolerance === undefined
          ? {}
          : { instructionsTolerance: options.instructionsTolerance }),
      });
      const measure = async (seed: number) => {
        const request = (file: string): ChildRequest => ({
          file,
          benchmark: listed.name,
          ...MODES[options.mode],
          seed,
          side: "ours",
        });
        return runAlternating(
          request(pair.base),
          request(pair.head),
          forks,
          {
            ...options,
            files: [],
            tolerance: options.decision.threshold,
          },
          listed.measure,
        );
      };
      const first = await measure(1);
      if ("error" in first) {
        notes.push(`${id}: could not be measured: ${first.error}`);
        continue;
      }
      const values = (list: readonly { value: number }[]) => list.map((s) => s.value);
      const decideOn = (run: { a: Sample[]; b: Sample[] }) =>
        decide(values(run.a), values(run.b), {
          ...options.decision,
          threshold,
          processes: {
            base: run.a.map((s) => s.process ?? 0),
            head: run.b.map((s) => s.process ?? 0),
          },
        });
      let comparison: Comparison = {
        verdict: decideOn(first),
        base: first.a,
        head: first.b,
      };
      if (comparison.verdict.kind === "regression") {
        options.onProgress?.(`${id}: slower than base, re-running to confirm`);
        const again = await measure(2);
        const confirmation = "error" in again ? undefined : decideOn(again);
        comparison = {
          ...comparison,
          verdict: confirmed(comparison.verdict, confirmation),
          ...(confirmation === undefined ? {} : { confirmation }),
        };
      }
      results.push({ name: id, comparison, unit: listed.unit });
    }
    for (const name of baseNames)
      if (!head.benchmarks.some((b) => b.name === name))
        notes.push(`${head.suite} › ${name}: only in base; not compared.`);
  }
  return { results, notes };
}
