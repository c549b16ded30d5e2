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

/**
 * A hyperfine-style runner: runs a shell command in a fresh process and measures its wall time. A
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
        stdio: ["ignore", "ignore", "pipe"],
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
        resolve({ ms });
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
