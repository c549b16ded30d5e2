import { basename } from "node:path";
import type { BenchmarkDefinition, Measure, Suite } from "./suite.js";
import type { Target } from "./verdict.js";

/** The part of a tinybench `Bench` this adapter uses (tinybench is not a dependency). */
export interface TinybenchLike {
  /** The bench's name, if it has one. */
  readonly name?: string | undefined;
  /** Its tasks. */
  readonly tasks: readonly TinybenchTaskLike[];
}

/** The part of a tinybench `Task` this adapter uses. */
export interface TinybenchTaskLike {
  /** The task's name. */
  readonly name: string;
  /** Runs the task (tinybench's own time / iteration budget). */
  run(): Promise<unknown>;
  /** Forgets earlier results. */
  reset(): void;
  /** The last run's result. */
  readonly result: unknown;
}

/** Targets for tinybench tasks: each named task is ours, compared with the task named `anchor`. */
export type TinybenchTargets = Readonly<Record<string, TinybenchTarget>>;

/** What one tinybench task is compared with. */
export interface TinybenchTarget {
  /** The name of the anchor task in the same bench. */
  readonly anchor: string;
  /** The goal relative to it, if any. */
  readonly target?: Target;
}

/**
 * Whether a module export looks like a tinybench `Bench`.
 * @param value - the export
 * @returns true for an object with `add`, `run` and a `tasks` array of runnable tasks
 */
export function isTinybench(value: unknown): value is TinybenchLike {
  const bench = value as { tasks?: unknown; run?: unknown; add?: unknown } | null;
  const tasks = bench?.tasks;
  return (
    typeof bench?.run === "function" &&
    typeof bench.add === "function" &&
    Array.isArray(tasks) &&
    tasks.every(
      (t) =>
        typeof (t as TinybenchTaskLike).run === "function" &&
        typeof (t as TinybenchTaskLike).name === "string",
    )
  );
}

/** One sample: a run of the task by tinybench's own budget, as its median latency in ms. */
function taskMeasure(task: TinybenchTaskLike): Measure {
  return async () => {
    task.reset();
    await task.run();
    const latency = (task.result as { latency?: { p50?: number; mean?: number } } | undefined)
      ?.latency;
    const value = latency?.p50 ?? latency?.mean;
    if (value === undefined) {
      const error = (task.result as { error?: unknown } | undefined)?.error;
      throw error instanceof Error
        ? error
        : new Error(`tinybench task "${task.name}" produced no latency`);
    }
    return value;
  };
}

/**
 * A tinybench `Bench` as a suite, so teams keep their harness: each task is a benchmark (a sample is
 * one run of the task by tinybench's own `time`/`iterations` budget, reported as its median latency
 * in ms per iteration — keep that budget short, e.g. `new Bench({ time: 50 })`). A task named in
 * `targets` is compared with its anchor task, interleaved, and judged against its target; anchor
 * tasks are not listed on their own.
 * @param bench - the tinybench `Bench`
 * @param file - the file it came from (names the suite when the bench has no name)
 * @param targets - anchors and targets by task name
 * @returns the suite
 */
export function tinybenchSuite(
  bench: TinybenchLike,
  file: string,
  targets: TinybenchTargets = {},
): Suite {
  const byName = new Map(bench.tasks.map((t) => [t.name, t]));
  const anchors = new Set(Object.values(targets).map((t) => t.anchor));
  const benchmarks: BenchmarkDefinition[] = bench.tasks
    .filter((task) => !anchors.has(task.name) || targets[task.name] !== undefined)
    .map((task) => {
      const declared = targets[task.name];
      const anchor = declared === undefined ? undefined : byName.get(declared.anchor);
      return {
        name: task.name,
        unit: "ms",
        ...(declared === undefined ? {} : { anchor: declared.anchor }),
        ...(declared?.target === undefined ? {} : { target: declared.target }),
        setup: () => {
          if (declared !== undefined && anchor === undefined)
            throw new Error(
              `targets["${task.name}"] names the anchor task "${declared.anchor}", which the bench does not have.`,
            );
          return anchor === undefined
            ? { ours: taskMeasure(task) }
            : { ours: taskMeasure(task), anchor: taskMeasure(anchor) };
        },
      };
    });
  return { name: bench.name ?? basename(file), benchmarks };
}
