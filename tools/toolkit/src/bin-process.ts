import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

/** How a bin ended and what it wrote. */
export interface BinResult {
  /** Its exit code, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, if any. */
  readonly signal: NodeJS.Signals | null;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** Where and how a bin runs. */
export interface BinOptions {
  /** The working directory. */
  readonly cwd: string;
  /**
   * Environment variables of the child, on top of this process's `PATH` and `HOME` only — so the
   * caller's `CI`, `NO_COLOR` or `FORCE_COLOR` never leak in unless given here.
   * @defaultValue none beyond PATH and HOME
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Node flags, e.g. a loader to run a bin from TypeScript source. @defaultValue none */
  readonly execArgv?: readonly string[];
}

/** A bin started by {@link startBin}. */
export interface RunningBin {
  /** The child process (to send it a signal). */
  readonly child: ChildProcess;
  /** Settles when it has exited and its streams are closed. */
  readonly done: Promise<BinResult>;
}

/**
 * Starts a CLI's bin (a Node script) in a child process, with pipes for its streams: the way tests
 * exercise what users run — argument handling, streams, exit codes and signals.
 * @param bin - the bin file
 * @param args - its arguments
 * @param options - working directory, environment and Node flags
 * @returns the child and its outcome
 */
export function startBin(bin: string, args: readonly string[], options: BinOptions): RunningBin {
  const child = spawn(process.execPath, [...(options.execArgv ?? []), bin, ...args], {
    cwd: options.cwd,
    env: {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: process.env["HOME"] ?? options.cwd,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<BinResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/**
 * Runs a CLI's bin to its end (see {@link startBin}).
 * @param bin - the bin file
 * @param args - its arguments
 * @param options - working directory, environment and Node flags
 * @returns its exit code, signal and output
 */
export function runBin(
  bin: string,
  args: readonly string[],
  options: BinOptions,
): Promise<BinResult> {
  return startBin(bin, args, options).done;
}
