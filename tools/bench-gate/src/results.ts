import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { PerflayerConfigError, detectProfile } from "@perflayer/core";

/** Where samples were taken: results from another machine are compared with a warning. */
export interface EnvironmentFingerprint {
  /** Node version. */
  readonly node: string;
  /** CPU model. */
  readonly cpu: string;
  /** Logical CPUs. */
  readonly cores: number;
  /** `local` or `ci`. */
  readonly profile: string;
}

/** Stored samples of named benchmarks (bench-gate's own results format). */
export interface ResultsFile {
  /** Format marker. */
  readonly format: "perflayer-bench-gate/1";
  /** Where they were measured. */
  readonly environment: EnvironmentFingerprint;
  /** Samples in milliseconds (or any unit where lower is better) per benchmark. */
  readonly benchmarks: Readonly<Record<string, readonly number[]>>;
  /** Anchor samples taken interleaved with `benchmarks` (paired by index), for suite benchmarks. */
  readonly anchors?: Readonly<Record<string, readonly number[]>>;
  /** Unit per benchmark when not milliseconds. */
  readonly units?: Readonly<Record<string, string>>;
  /** The process each sample of `benchmarks` came from. */
  readonly processes?: Readonly<Record<string, readonly number[]>>;
  /** The process each sample of `anchors` came from. */
  readonly anchorProcesses?: Readonly<Record<string, readonly number[]>>;
  /** How much the run sampled: compare quick with quick and full with full. */
  readonly mode?: "quick" | "full";
  /** When they were saved (ISO time). */
  readonly savedAt: string;
}

/**
 * This machine's fingerprint.
 * @returns node version, CPU, cores and profile
 */
export function fingerprintEnvironment(): EnvironmentFingerprint {
  const info = cpus();
  return {
    node: process.version,
    cpu: info[0]?.model.trim() ?? "unknown",
    cores: info.length,
    profile: detectProfile().name,
  };
}

/**
 * What differs between two fingerprints.
 * @param a - one
 * @param b - the other
 * @returns human-readable differences (empty when alike)
 */
export function fingerprintDifferences(
  a: EnvironmentFingerprint,
  b: EnvironmentFingerprint,
): string[] {
  const out: string[] = [];
  for (const key of ["node", "cpu", "cores", "profile"] as const)
    if (a[key] !== b[key]) out.push(`${key}: ${String(a[key])} vs ${String(b[key])}`);
  return out;
}

function numbers(value: unknown): number[] | undefined {
  return Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === "number" && Number.isFinite(v))
    ? (value as number[])
    : undefined;
}

/** Samples read from a results file. */
export interface LoadedResults {
  /** Samples in milliseconds per benchmark. */
  readonly benchmarks: Record<string, number[]>;
  /** Where they were measured, when the file says. */
  readonly environment?: EnvironmentFingerprint;
  /** Anchor samples paired with `benchmarks`, when the file has them. */
  readonly anchors?: Record<string, number[]>;
  /** Units, when the file says. */
  readonly units?: Record<string, string>;
  /** The process of each sample, when the file says. */
  readonly processes?: Record<string, number[]>;
  /** The process of each anchor sample, when the file says. */
  readonly anchorProcesses?: Record<string, number[]>;
  /** The run's mode, when the file says. */
  readonly mode?: "quick" | "full";
}

/**
 * Reads samples from bench-gate's own results, hyperfine (`--export-json`), tinybench
 * (`bench.results`/`tasks` dumped as JSON), vitest bench (`--outputJson`) or mitata JSON — so teams
 * keep their harness. Times are normalised to milliseconds.
 * @param path - the JSON file
 * @returns samples per benchmark name
 */
export function loadResults(path: string): LoadedResults {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new PerflayerConfigError(
      "ERR_RESULTS",
      `Could not read results ${path}: ${(error as Error).message}. Pass a JSON file from bench-gate run, hyperfine, tinybench, vitest bench or mitata.`,
    );
  }
  const out: Record<string, number[]> = {};
  const d = data as Record<string, unknown>;
  if (
    d["format"] === "perflayer-bench-gate/1" &&
    typeof d["benchmarks"] === "object" &&
    d["benchmarks"] !== null
  ) {
    for (const [name, values] of Object.entries(d["benchmarks"] as Record<string, unknown>)) {
      const list = numbers(values);
      if (list !== undefined) out[name] = list;
    }
    // Lists that go with the samples (anchors, process numbers) are kept only when they pair up.
    const alongside = (field: string, of: Record<string, number[]>): Record<string, number[]> => {
      const kept: Record<string, number[]> = {};
      for (const [name, values] of Object.entries((d[field] ?? {}) as Record<string, unknown>)) {
        const list = numbers(values);
        if (list !== undefined && list.length === of[name]?.length) kept[name] = list;
      }
      return kept;
    };
    const anchors = alongside("anchors", out);
    const mode = d["mode"];
    return {
      benchmarks: out,
      environment: d["environment"] as EnvironmentFingerprint,
      anchors,
      processes: alongside("processes", out),
      anchorProcesses: alongside("anchorProcesses", anchors),
      units: (d["units"] ?? {}) as Record<string, string>,
      ...(mode === "quick" || mode === "full" ? { mode } : {}),
    };
  }
  if (Array.isArray(d["results"])) {
    // hyperfine: results[].command, results[].times (seconds)
    for (const r of d["results"] as Record<string, unknown>[]) {
      const list = numbers(r["times"]);
      if (list !== undefined && typeof r["command"] === "string")
        out[r["command"]] = list.map((s) => s * 1000);
    }
  } else if (Array.isArray(d["files"])) {
    // vitest bench --outputJson: files[].groups[].benchmarks[].{name, samples (ms)}
    for (const file of d["files"] as Record<string, unknown>[]) {
      for (const group of (file["groups"] as Record<string, unknown>[] | undefined) ?? []) {
        for (const b of (group["benchmarks"] as Record<string, unknown>[] | undefined) ?? []) {
          const list = numbers(b["samples"]);
          if (list !== undefined && typeof b["name"] === "string") out[b["name"]] = list;
        }
      }
    }
  } else if (Array.isArray(d["benchmarks"])) {
    // mitata: benchmarks[].{alias|name, runs[].stats.samples (ns)}
    for (const b of d["benchmarks"] as Record<string, unknown>[]) {
      const name = (b["alias"] ?? b["name"]) as string | undefined;
      const runs = b["runs"] as { stats?: { samples?: unknown } }[] | undefined;
      const list = numbers(runs?.[0]?.stats?.samples);
      if (name !== undefined && list !== undefined) out[name] = list.map((ns) => ns / 1e6);
    }
  } else if (Array.isArray(d["tasks"]) || Array.isArray(data)) {
    // tinybench: tasks[].{name, result.samples | result.latency.samples (ms)}
    for (const t of (Array.isArray(data) ? data : d["tasks"]) as Record<string, unknown>[]) {
      const result = (t["result"] ?? {}) as Record<string, unknown>;
      const list =
        numbers(result["samples"]) ??
        numbers((result["latency"] as Record<string, unknown> | undefined)?.["samples"]);
      if (list !== undefined && typeof t["name"] === "string") out[t["name"]] = list;
    }
  }
  if (Object.keys(out).length === 0) {
    throw new PerflayerConfigError(
      "ERR_RESULTS",
      `${path}: no benchmark samples found (expected bench-gate, hyperfine, tinybench, vitest bench or mitata JSON).`,
    );
  }
  return { benchmarks: out };
}

/**
 * Pools several runs into one (e.g. a baseline from three runs, so it carries the variation between
 * runs instead of the luck of one). Samples are concatenated per benchmark; anchors are kept where
 * every run that has the benchmark has them.
 * @param runs - loaded results, at least one
 * @returns the pooled results, and what differed between the runs
 */
export function mergeResults(runs: readonly LoadedResults[]): {
  /** The pooled results. */
  merged: LoadedResults;
  /** What differed between the runs' environments or modes (empty when alike). */
  differences: string[];
} {
  const first = runs[0];
  if (first === undefined)
    throw new PerflayerConfigError("ERR_RESULTS", "mergeResults needs at least one run.");
  const differences: string[] = [];
  const benchmarks: Record<string, number[]> = {};
  const anchors: Record<string, number[]> = {};
  // Process numbers are kept apart between runs (run k's process p becomes k × 1000 + p); a run
  // that does not say counts as one process.
  const processes: Record<string, number[]> = {};
  const anchorProcesses: Record<string, number[]> = {};
  const anchorless = new Set<string>();
  const units: Record<string, string> = {};
  for (const [k, run] of runs.entries()) {
    const tag = (list: readonly number[] | undefined, length: number): number[] =>
      list?.length === length
        ? list.map((p) => k * 1_000 + p)
        : Array.from({ length }, () => k * 1_000);
    if (first.environment !== undefined && run.environment !== undefined)
      differences.push(...fingerprintDifferences(first.environment, run.environment));
    if (run.mode !== first.mode)
      differences.push(`mode: ${String(first.mode)} vs ${String(run.mode)}`);
    for (const [name, values] of Object.entries(run.benchmarks)) {
      (benchmarks[name] ??= []).push(...values);
      (processes[name] ??= []).push(...tag(run.processes?.[name], values.length));
      const anchor = run.anchors?.[name];
      if (anchor === undefined) anchorless.add(name);
      else {
        (anchors[name] ??= []).push(...anchor);
        (anchorProcesses[name] ??= []).push(...tag(run.anchorProcesses?.[name], anchor.length));
      }
      const unit = run.units?.[name];
      if (unit !== undefined) units[name] = unit;
    }
  }
  for (const name of anchorless) {
    delete anchors[name];
    delete anchorProcesses[name];
  }
  return {
    merged: {
      benchmarks,
      anchors,
      processes,
      anchorProcesses,
      units,
      ...(first.environment === undefined ? {} : { environment: first.environment }),
      ...(first.mode === undefined || differences.some((d) => d.startsWith("mode"))
        ? {}
        : { mode: first.mode }),
    },
    differences: [...new Set(differences)],
  };
}
