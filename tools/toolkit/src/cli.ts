import { PerflayerConfigError, PerflayerError } from "@perflayer/core";
import { didYouMean } from "./did-you-mean.js";
import { fileErrorReason, isFileSystemError } from "./file-system-error.js";

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
 * on stderr, a file-system error that slipped through (a path that does not exist, a folder where a
 * file was expected, no permission) into `name: ENOENT: path: reason`, and anything else (a bug)
 * into its stack trace; all exit 2. `main` returns 0 (clean) or 1 (findings over the threshold).
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
    } else if (isFileSystemError(error)) {
      io.stderr.write(
        `${name}: ${error.code}: ${error.path}: ${fileErrorReason(error)}${error.syscall === undefined ? "" : ` (${error.syscall})`}.\n`,
      );
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
  /** Both streams in the order they were written, as a terminal would show them. */
  transcript(): string;
}

/**
 * Streams held in memory: runs a tool's `run(argv, io)` without a terminal.
 * @param cwd - the working directory paths are resolved from
 * @param env - environment variables @defaultValue none
 * @param tty - whether the streams claim to be a terminal (progress lines, colour) @defaultValue false
 * @returns the streams and readers of what was written
 */
export function memoryIo(
  cwd: string,
  env: Readonly<Record<string, string>> = {},
  tty = false,
): MemoryIo {
  const writes: { stream: "out" | "err"; text: string }[] = [];
  const sink = (stream: "out" | "err"): TextSink => ({
    write: (text: string) => writes.push({ stream, text }),
    isTTY: tty,
  });
  const of = (stream?: "out" | "err"): string =>
    writes
      .filter((w) => stream === undefined || w.stream === stream)
      .map((w) => w.text)
      .join("");
  return {
    stdout: sink("out"),
    stderr: sink("err"),
    cwd,
    env,
    out: () => of("out"),
    err: () => of("err"),
    transcript: () => of(),
  };
}

const guessText = (guess: string | undefined): string =>
  guess === undefined ? "" : ` Did you mean "${guess}"?`;

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
      `Expected --${flag} to be one of ${allowed.join(", ")}, got "${value}".${guessText(didYouMean(value, allowed))}`,
    );
  }
  return value as T;
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
