import { spawn } from "node:child_process";
import { PerformanceObserver } from "node:perf_hooks";
import { PerflayerError } from "@perflayer/core";
import { stopOnExit } from "./exit-cleanup.js";

/** One measurement. */
export interface Sample {
  /**
   * The measurement, lower is better: wall time in milliseconds for commands and function runners,
   * the benchmark's own unit (e.g. ns/op) for suite benchmarks.
   */
  readonly value: number;
  /** CPU time (user + system) in the same unit as `value`, when known. */
  readonly cpu?: number;
  /** Peak resident memory of the process in MiB, when known. */
  readonly peakMb?: number;
  /** Heap in use at the end of the sample in MiB, when known. */
  readonly heapMb?: number;
  /** Garbage collections during the sample, when known. */
  readonly gcs?: number;
  /** Which of a benchmark's processes took it (samples of one process are not independent). */
  readonly process?: number;
  /** The command timed its own work (a `bench-gate: ms=…` line), so start-up is not in `value`. */
  readonly selfTimed?: boolean;
}

/**
 * The process of each sample, if any sample says.
 * @param samples - samples
 * @returns one process number per sample (0 where a sample does not say), or undefined
 */
export function processesOf(samples: readonly Sample[]): number[] | undefined {
  return samples.some((s) => s.process !== undefined)
    ? samples.map((s) => s.process ?? 0)
    : undefined;
}

/** Takes one measurement (a fresh process per call for commands). */
export type Runner = () => Promise<Sample>;

/** Options of {@link commandRunner}. */
export interface CommandRunnerOptions {
  /** Working directory. */
  readonly cwd?: string;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** A run taking longer is killed and fails the measurement. @defaultValue 120_000 */
  readonly timeoutMs?: number;
}

/** The line a self-timed command prints: `bench-gate: ms=12.5 cpuMs=11.9 peakMb=48 gcs=3`. */
const SELF_TIMED = /^bench-gate: (.*)$/gm;

/**
 * Reads the last `bench-gate: ms=… [cpuMs=…] [peakMb=…] [gcs=…]` line a command printed, if any.
 * @param stdout - the command's standard output (its tail is enough)
 * @returns the sample it reports, or undefined when it reports none
 */
export function parseSelfTimed(stdout: string): Sample | undefined {
  const lines = [...stdout.matchAll(SELF_TIMED)];
  const last = lines[lines.length - 1]?.[1];
  if (last === undefined) return undefined;
  const fields = new Map(
    [...last.matchAll(/(\w+)=(\d+(?:\.\d+)?(?:e[+-]?\d+)?)/g)].map((m) => [m[1], Number(m[2])]),
  );
  const ms = fields.get("ms");
  if (ms === undefined) return undefined;
  const cpu = fields.get("cpuMs");
  const peakMb = fields.get("peakMb");
  const gcs = fields.get("gcs");
  return {
    value: ms,
    ...(cpu === undefined ? {} : { cpu }),
    ...(peakMb === undefined ? {} : { peakMb }),
    ...(gcs === undefined ? {} : { gcs }),
  };
}

/**
 * What a benchmark script prints so that {@link commandRunner} uses its own figures instead of the
 * process's wall time (start-up excluded): runs `fn`, then prints
 * `bench-gate: ms=… cpuMs=… peakMb=… gcs=…` (wall and CPU time of `fn`, peak RSS of the process,
 * garbage collections during `fn`).
 * @param fn - the measured work
 * @returns the sample it printed
 */
export async function reportSample(fn: () => unknown): Promise<Sample> {
  const gcs = countGcs();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await fn();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const sample = {
    value: ms,
    cpu: (used.user + used.system) / 1000,
    peakMb: process.resourceUsage().maxRSS / 1024,
    gcs: await gcs.stop(),
  };
  process.stdout.write(
    `bench-gate: ms=${ms.toFixed(3)} cpuMs=${sample.cpu.toFixed(3)} peakMb=${sample.peakMb.toFixed(1)} gcs=${sample.gcs}\n`,
  );
  return sample;
}

/** A running count of garbage collections; see {@link countGcs}. */
export interface GcCounter {
  /** Collections that started within [from, to] (performance.now() times); all so far without. */
  between(from?: number, to?: number): number;
  /** Waits for pending GC entries, stops counting and returns the total. */
  stop(): Promise<number>;
}

/**
 * Starts counting garbage collections (a `gc` PerformanceObserver). Entries arrive asynchronously,
 * so counts are read after {@link GcCounter.stop}, attributed to samples by their start times.
 * @returns the counter
 */
export function countGcs(): GcCounter {
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) starts.push(entry.startTime);
  });
  observer.observe({ entryTypes: ["gc"] });
  return {
    between: (from = 0, to = Number.POSITIVE_INFINITY) =>
      starts.filter((t) => t >= from && t <= to).length,
    stop: async () => {
      await new Promise((resolve) => setTimeout(resolve, 10)); // let queued entries arrive
      observer.disconnect();
      return starts.length;
    },
  };
}

/**
 * A hyperfine-style runner: runs a shell command in a fresh process and measures its wall time. A
 * command that prints `bench-gate: ms=… [cpuMs=…] [peakMb=…] [gcs=…]` (see {@link reportSample}) is
 * self-timed: its own figures are the sample, so process start-up does not blur small effects. A
 * non-zero exit or a timeout rejects with the command's error output tail.
 * @param command - a shell command
 * @param options - cwd, env, timeout
 * @returns the runner
 */
export function commandRunner(command: string, options: CommandRunnerOptions = {}): Runner {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return () =>
    new Promise<Sample>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const child = spawn("sh", ["-c", command], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true, // its own process group: a timeout or our exit stops all it started
      });
      const stop = stopOnExit(child, true);
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout = (stdout + chunk.toString()).slice(-4_000);
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2_000);
      });
      const timer = setTimeout(() => {
        stop();
        reject(
          new PerflayerError(
            "ERR_BENCH_TIMEOUT",
            `\`${command}\` did not finish within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (code !== 0) {
          const tail = stderr.trim().split("\n").slice(-3).join(" | ");
          reject(
            new PerflayerError(
              "ERR_BENCH_FAILED",
              `\`${command}\` exited with ${String(code)}${tail === "" ? " (it printed nothing on stderr)" : `: ${tail}`}`,
            ),
          );
          return;
        }
        const own = parseSelfTimed(stdout);
        resolve(own === undefined ? { value: ms } : { ...own, selfTimed: true });
      });
    });
}

/** Options of {@link functionRunner}. */
export interface FunctionRunnerOptions {
  /** Calls per measurement (the sample is the time of the whole batch). @defaultValue 1 */
  readonly iterations?: number;
}

/**
 * An in-process runner: times a batch of calls to `fn`, recording CPU time too. For micro-benchmarks
 * and for validating the gate itself; whole scenarios belong in {@link commandRunner}.
 * @param fn - the work
 * @param options - batch size
 * @returns the runner
 */
export function functionRunner(fn: () => unknown, options: FunctionRunnerOptions = {}): Runner {
  const iterations = options.iterations ?? 1;
  return async () => {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      const result = fn();
      if (result instanceof Promise) await result;
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    return {
      value: ms,
      cpu: (used.user + used.system) / 1000,
      heapMb: process.memoryUsage().heapUsed / 1_048_576,
    };
  };
}
