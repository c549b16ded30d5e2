// Runs a workspace CLI's real bin (`tools/<tool>/bin/<name>.js`) in a child process, from source:
// node with the `@perflayer/source` condition and tsx, so tests exercise exactly what users run
// (argument handling, streams, exit codes, signals) without waiting for a build.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

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

/** Where and with what a bin runs. */
export interface BinOptions {
  /** The working directory. */
  readonly cwd: string;
  /**
   * Environment variables on top of a minimal, colour-neutral one (PATH and HOME only; no CI,
   * NO_COLOR or FORCE_COLOR unless given here).
   */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts a bin; the caller may signal the child before awaiting `done`.
 * @param bin - the bin file (absolute)
 * @param args - its arguments
 * @param options - cwd and environment
 * @returns the child and its outcome
 */
export function startBin(
  bin: string,
  args: readonly string[],
  options: BinOptions,
): { child: ChildProcess; done: Promise<BinResult>; stderr: () => string } {
  const child = spawn(
    process.execPath,
    ["--conditions=@perflayer/source", "--import", tsx, bin, ...args],
    {
      cwd: options.cwd,
      env: {
        PATH: process.env["PATH"] ?? "/usr/bin:/bin",
        HOME: process.env["HOME"] ?? options.cwd,
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<BinResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, stderr: () => stderr };
}

/**
 * Runs a bin to its end.
 * @param bin - the bin file (absolute)
 * @param args - its arguments
 * @param options - cwd and environment
 * @returns its exit code, signal and output
 */
export function runBin(
  bin: string,
  args: readonly string[],
  options: BinOptions,
): Promise<BinResult> {
  return startBin(bin, args, options).done;
}

/**
 * A tool's bin and the version it should print.
 * @param packageDir - the tool's package folder
 * @param name - the bin's name
 * @returns the bin file and the package's version
 */
export function toolBin(packageDir: string, name: string): { bin: string; version: string } {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    version: string;
  };
  return { bin: join(packageDir, "bin", `${name}.js`), version: manifest.version };
}
