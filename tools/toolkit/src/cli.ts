import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { PerflayerConfigError, PerflayerError } from "@perflayer/core";

/** Something text can be written to (a stream, or a test's capture). */
export interface TextSink {
  /**
   * Writes text.
   * @param text - what to write
   */
  write(text: string): unknown;
  /** Whether it is an interactive terminal. */
  readonly isTTY?: boolean;
}

/** The streams and environment a CLI runs with (injected, so tests capture them). */
export interface CliIo {
  /** Where results go. */
  readonly stdout: TextSink;
  /** Where progress and errors go. */
  readonly stderr: TextSink;
  /** The working directory paths are resolved from. */
  readonly cwd: string;
  /** Environment variables (`NO_COLOR`, `CI`, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes shared by perflayer's tools. */
export interface ExitCodes {
  /** Clean. */
  readonly ok: 0;
  /** Findings over the threshold. */
  readonly findings: 1;
  /** Usage or internal error. */
  readonly error: 2;
}

/** Exit codes shared by perflayer's tools: 0 clean, 1 findings over the threshold, 2 usage or internal error. */
export const EXIT: ExitCodes = Object.freeze({ ok: 0, findings: 1, error: 2 } as const);

/**
 * The real process's streams.
 * @returns stdout, stderr, cwd and env of this process
 */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/**
 * The one error boundary of a CLI: runs `main`, turns a `PerflayerError` into `name: code: message`
 * on stderr and anything else (a bug) into its stack trace; both exit 2. `main` returns 0 (clean)
 * or 1 (findings over the threshold).
 * @param name - the command name for messages
 * @param io - streams
 * @param main - the command
 * @returns the exit code
 */
export async function withErrorBoundary(
  name: string,
  io: CliIo,
  main: () => Promise<number>,
): Promise<number> {
  try {
    return await main();
  } catch (error) {
    if (error instanceof PerflayerError) {
      io.stderr.write(`${name}: ${error.code}: ${error.message}\n`);
    } else {
      io.stderr.write(
        `${name}: internal error (a bug — please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    return EXIT.error;
  }
}

/** A {@link CliIo} that keeps what a command writes, for tests and for running a CLI from code. */
export interface MemoryIo extends CliIo {
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

/**
 * Streams held in memory: runs a tool's `run(argv, io)` without a terminal.
 * @param cwd - the working directory paths are resolved from
 * @param env - environment variables @defaultValue none
 * @returns the streams and readers of what was written
 */
export function memoryIo(cwd: string, env: Readonly<Record<string, string>> = {}): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    cwd,
    env,
    out: () => out.join(""),
    err: () => err.join(""),
  };
}

/**
 * Parses flags with `node:util`'s `parseArgs`, turning its errors into usage errors that say what
 * to do.
 * @typeParam T - the option schema
 * @param argv - the arguments after the command
 * @param options - the flag schema
 * @param usage - the command's usage line, shown on error
 * @returns values and positionals
 */
export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(
  argv: readonly string[],
  options: T,
  usage: string,
): ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `${(error as Error).message}. Usage: ${usage} (see --help).`,
    );
  }
}

/**
 * Reads a flag that must be one of a set.
 * @typeParam T - the allowed values
 * @param flag - the flag name
 * @param value - the value given
 * @param allowed - the allowed values
 * @returns the value, typed
 */
export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected --${flag} to be one of ${allowed.join(", ")}, got "${value}".`,
    );
  }
  return value as T;
}

/**
 * Writes a report to `--out` (creating folders) or stdout.
 * @param io - streams
 * @param text - the report
 * @param out - a path, or undefined for stdout
 */
export function emit(io: CliIo, text: string, out: string | undefined): void {
  if (out === undefined) {
    io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    return;
  }
  const path = resolve(io.cwd, out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  io.stderr.write(`wrote ${path}\n`);
}

/**
 * Whether colour may be used: a TTY, and neither `NO_COLOR` nor `CI` dumb terminals ask otherwise.
 * @param io - streams
 * @returns true when ANSI colours are fine
 */
export function useColor(io: CliIo): boolean {
  return io.stderr.isTTY === true && io.env["NO_COLOR"] === undefined && io.env["TERM"] !== "dumb";
}

/** A progress line. */
export interface Progress {
  /**
   * Shows progress.
   * @param done - items done
   * @param total - items in all
   * @param label - the current item
   */
  update(done: number, total: number, label?: string): void;
  /** Clears the line. */
  end(): void;
}

/**
 * A progress line on stderr, only when it is a TTY (so logs and CI stay clean).
 * @param io - streams
 * @returns `update(done, total, label)` and `end()`
 */
export function progress(io: CliIo): Progress {
  const enabled = io.stderr.isTTY === true && io.env["CI"] === undefined;
  let last = 0;
  return {
    update(done, total, label = "") {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 24;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      io.stderr.write(
        `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${label.slice(0, 40).padEnd(40)}`,
      );
    },
    end() {
      if (enabled) io.stderr.write("\r\u001b[2K");
    },
  };
}
