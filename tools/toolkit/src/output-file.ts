import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import type { CliIo } from "./cli.js";
import type { BooleanFlag, StringFlag } from "./command-line.js";
import { fileErrorReason, isFileSystemError } from "./file-system-error.js";

/** How {@link emit} writes a file. */
export interface EmitOptions {
  /** Create the file's missing parent folders (`--mkdir`). @defaultValue false */
  readonly mkdir?: boolean;
  /** The flag that named the file, for messages. @defaultValue "--out" */
  readonly flag?: string;
}

/** The flags of a command that writes a file. */
export interface OutputFlags {
  /** `--out <file>`: where to write instead of stdout. */
  readonly out: StringFlag;
  /** `--mkdir`: create the missing folders of the file. */
  readonly mkdir: BooleanFlag;
}

/**
 * The `--out` and `--mkdir` flags of a command that writes a report.
 * @param what - what `--out` receives, e.g. "the report"
 * @returns the two flag specs
 */
export function outputFlags(what: string): OutputFlags {
  return {
    out: {
      type: "string",
      value: "file",
      description: `write ${what} to a file instead of stdout (its folder must exist)`,
    },
    mkdir: { type: "boolean", description: "create the missing folders of the output file" },
  };
}

/**
 * Writes a report to a file, or to stdout when there is none. A folder that does not exist is
 * created only with `mkdir`; otherwise it, and any file-system error (the path is a folder, not
 * writable, …), is a usage error naming the path and the flag.
 * @param io - streams
 * @param text - the report
 * @param out - a path (resolved from `io.cwd`), or undefined for stdout
 * @param options - whether to create folders, and the flag's name for messages
 */
export function emit(
  io: CliIo,
  text: string,
  out: string | undefined,
  options: EmitOptions = {},
): void {
  if (out === undefined) {
    io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    return;
  }
  const path = resolve(io.cwd, out);
  const flag = options.flag ?? "--out";
  const folder = dirname(path);
  try {
    if (options.mkdir === true) mkdirSync(folder, { recursive: true });
    else if (!existsSync(folder))
      throw new PerflayerConfigError(
        "ERR_OUT",
        `Cannot write ${flag} ${path}: the folder ${folder} does not exist. Create it, or pass --mkdir to have it created.`,
      );
    writeFileSync(path, text);
  } catch (error) {
    if (!isFileSystemError(error)) throw error;
    const fix =
      error.code === "EISDIR"
        ? "Pass a file path, not a folder."
        : error.code === "EACCES" || error.code === "EPERM" || error.code === "EROFS"
          ? "Choose a location you can write to."
          : "Pass a path to a file in an existing folder (or --mkdir).";
    throw new PerflayerConfigError(
      "ERR_OUT",
      `Cannot write ${flag} ${path}: ${fileErrorReason(error)}${error.path === path ? "" : ` (${error.path})`}. ${fix}`,
      { cause: error },
    );
  }
  io.stderr.write(`wrote ${path}\n`);
}
