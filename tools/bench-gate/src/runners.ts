import { spawn } from "node:child_process";
import { PerflayerError } from "@perflayer/core";

/** One measurement. */
export interface Sample {
  /** Wall time in milliseconds (lower is better). */
  readonly ms: number;
  /** CPU time (user + system) in milliseconds, when known. */
  readonly cpuMs?: number;
  /** Peak resident memory in MB, when known. */
  readonly peakMb?: number;
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

/** The line a self-timed command prints: `bench-gate: ms=12.5 cpuMs=11.9 peakMb=48`. */
const SELF_TIMED = /^bench-gate: (.*)$/gm;

/**
 * Reads the last `bench-gate: ms=… [cpuMs=…] [peakMb=…]` line a command printed, if any.
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
  const cpuMs = fields.get("cpuMs");
  const peakMb = fields.get("peakMb");
  return {
    ms,
    ...(cpuMs === undefined ? {} : { cpuMs }),
    ...(peakMb === undefined ? {} : { peakMb }),
  };
}

/**
 * What a benchmark script prints so that {@link commandRunner} uses its own figures instead of the
 * process's wall time (start-up excluded): runs `fn`, then prints
 * `bench-gate: ms=… cpuMs=… peakMb=…` (wall and CPU time of `fn`, peak RSS of the process).
 * @param fn - the measured work
 * @returns the sample it printed
 */
export async function reportSample(fn: () => unknown): Promise<Sample> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await fn();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const sample = {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    peakMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(
    `bench-gate: ms=${sample.ms.toFixed(3)} cpuMs=${sample.cpuMs.toFixed(3)} peakMb=${sample.peakMb.toFixed(1)}\n`,
  );
  return sample;
}

/**
 * A hyperfine-style runner: runs a shell command in a fresh process and measures its wall time. A
 * command that prints `bench-gate: ms=… [cpuMs=…] [peakMb=…]` (see {@link reportSample}) is
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
      });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout = (stdout + chunk.toString()).slice(-4_000);
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2_000);
      });
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
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
          reject(
            new PerflayerError(
              "ERR_BENCH_FAILED",
              `\`${command}\` exited with ${String(code)}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`,
            ),
          );
          return;
        }
        resolve(parseSelfTimed(stdout) ?? { ms });
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
      ms,
      cpuMs: (used.user + used.system) / 1000,
      peakMb: process.memoryUsage().heapUsed / 1_048_576,
    };
  };
}
