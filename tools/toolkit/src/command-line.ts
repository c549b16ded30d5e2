import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { PerflayerConfigError } from "@perflayer/core";
import { EXIT, withErrorBoundary } from "./cli.js";
import type { CliIo } from "./cli.js";
import { didYouMean } from "./did-you-mean.js";

/** One flag of a command, declared once: parsing, validation and `--help` all read it. */
export interface FlagSpec {
  /** `string` takes a value (`--out file`, `--out=file`); `boolean` takes none. */
  readonly type: "string" | "boolean";
  /** May be given several times; the values are collected in order. @defaultValue false */
  readonly multiple?: boolean;
  /** A one-letter alias. `h` and `v` are taken by `--help` and `--version`. */
  readonly short?: string;
  /** The value's name in `--help`, e.g. `file` for `--out <file>`. @defaultValue "value" */
  readonly value?: string;
  /** What the flag does, for `--help` (may span lines; the default belongs here too). */
  readonly description: string;
}

/** A flag that takes a value. */
export interface StringFlag extends FlagSpec {
  /** It takes a value. */
  readonly type: "string";
}

/** A flag that takes no value (a switch). */
export interface BooleanFlag extends FlagSpec {
  /** It takes no value. */
  readonly type: "boolean";
}

/** A command's flags by name (without the leading `--`). */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** The parsed value of one flag (any flag's, when the table's types are erased). */
export type FlagValue<S extends FlagSpec> = S["type"] extends "boolean"
  ? S["multiple"] extends true
    ? boolean[]
    : boolean
  : S["type"] extends "string"
    ? S["multiple"] extends true
      ? string[]
      : string
    : string | boolean | string[] | boolean[];

/** The values of a command's flags, typed from its table; a flag not given is absent. */
export type FlagValues<F extends FlagTable> = { readonly [K in keyof F]?: FlagValue<F[K]> };

/** What a command receives. */
export interface ParsedArgs<F extends FlagTable> {
  /** The flags given, by name. */
  readonly values: FlagValues<F>;
  /** The arguments that are not flags (after the command's name). */
  readonly positionals: readonly string[];
}

/** A command of a CLI: its name, its help and its flags as data, and what it does. */
export interface CommandSpec<F extends FlagTable> {
  /**
   * The words that select it (`"compare"`, `"baseline save"`); `""` for the command that runs when
   * none is named (a CLI with one job).
   */
  readonly name: string;
  /** One line for the list of commands. */
  readonly summary: string;
  /** Usage lines after the CLI's and the command's name, e.g. `"<suite files…> [--quick]"`. */
  readonly usage: readonly string[];
  /** A paragraph for `--help`, when the summary is not enough. */
  readonly description?: string;
  /** The flags it accepts (`--help` and `--version` are added). */
  readonly flags: F;
  /**
   * How many arguments that are not flags it takes; more is a usage error naming the first extra.
   * @defaultValue no limit
   */
  readonly maxArguments?: number;
  /**
   * Runs the command.
   * @param args - the parsed flags and positionals
   * @param io - streams and environment
   * @returns the exit code
   */
  run(args: ParsedArgs<F>, io: CliIo): Promise<number>;
}

/** A command with its flag types erased, as a CLI's command table holds it. */
export type Command = CommandSpec<FlagTable>;

const BUILT_IN: FlagTable = {
  help: { type: "boolean", short: "h", description: "this text" },
  version: { type: "boolean", short: "v", description: "print the version" },
};

/**
 * Declares a command, keeping its flag table's literal types so that `run` sees typed values.
 * @typeParam F - the flag table
 * @param spec - the command
 * @returns the command for a {@link CliSpec}'s table
 */
export function defineCommand<const F extends FlagTable>(spec: CommandSpec<F>): Command {
  for (const [name, flag] of Object.entries(spec.flags))
    if (Object.hasOwn(BUILT_IN, name) || flag.short === "h" || flag.short === "v")
      throw new Error(
        `${spec.name || "the default command"}: --${name} clashes with --help/-h or --version/-v, which every command has.`,
      );
  return spec;
}

/** A CLI: its identity and its commands. */
export interface CliSpec {
  /** The bin's name, as users type it. */
  readonly name: string;
  /** Its version (`--version`, `-v`). */
  readonly version: string;
  /** What it does, first in the top-level `--help`. */
  readonly summary: string;
  /** Its commands; one may be named `""` (runs when no command is named). */
  readonly commands: readonly Command[];
  /** Closing text of every `--help` (the exit codes). */
  readonly footer: string;
}

function usageError(message: string): PerflayerConfigError {
  return new PerflayerConfigError("ERR_USAGE", message);
}

function flagLabel(name: string, flag: FlagSpec): string {
  const short = flag.short === undefined ? "" : `-${flag.short}, `;
  return `${short}--${name}${flag.type === "string" ? ` <${flag.value ?? "value"}>` : ""}`;
}

function flagLines(flags: FlagTable): string[] {
  const entries = Object.entries({ ...flags, ...BUILT_IN });
  const width = Math.min(26, Math.max(...entries.map(([n, f]) => flagLabel(n, f).length)));
  return entries.flatMap(([name, flag]) => {
    const label = flagLabel(name, flag);
    const [first = "", ...rest] = flag.description.split("\n");
    const indent = " ".repeat(width + 4);
    const head =
      label.length > width
        ? [`  ${label}`, `${indent}${first}`]
        : [`  ${label.padEnd(width)}  ${first}`];
    return [...head, ...rest.map((line) => `${indent}${line.trim()}`)];
  });
}

function usageLines(spec: CliSpec, commands: readonly Command[]): string[] {
  const lines = commands.flatMap((c) =>
    c.usage.map((u) => [spec.name, c.name, u].filter((part) => part !== "").join(" ")),
  );
  return lines.map((line, i) => `${i === 0 ? "Usage: " : "       "}${line}`);
}

/** `--help` of one command (the default command's also lists the named ones). */
function commandHelp(spec: CliSpec, command: Command): string {
  const named = spec.commands.filter((c) => c.name !== "");
  const out = [
    command.name === "" ? spec.summary : command.summary,
    "",
    ...usageLines(spec, [command]),
  ];
  if (command.description !== undefined) out.push("", command.description);
  if (command.name === "" && named.length > 0)
    out.push("", "Commands:", ...named.map((c) => `  ${spec.name} ${c.name}: ${c.summary}`));
  out.push("", "Options:", ...flagLines(command.flags), "", spec.footer);
  return `${out.join("\n").trimEnd()}\n`;
}

/** The top-level `--help` of a CLI whose commands are all named, or of a group of them. */
function overview(spec: CliSpec, commands: readonly Command[]): string {
  const out = [spec.summary, "", "Commands:"];
  for (const c of commands) {
    out.push(...c.usage.map((u) => `  ${spec.name} ${c.name} ${u}`.trimEnd()));
    out.push(`      ${c.summary}`);
  }
  out.push(
    "",
    `Run \`${spec.name} <command> --help\` for a command's flags; \`${spec.name} --version\` prints the version.`,
    "",
    spec.footer,
  );
  return `${out.join("\n").trimEnd()}\n`;
}

/** The command `argv` names, the longest match first, and the arguments after its name. */
function select(
  spec: CliSpec,
  argv: readonly string[],
): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  let bestWords = 0;
  for (const c of spec.commands) {
    const words = c.name === "" ? [] : c.name.split(" ");
    if (words.length > 0 && words.every((w, i) => argv[i] === w) && words.length > bestWords) {
      best = c;
      bestWords = words.length;
    }
  }
  return best === undefined ? undefined : { command: best, rest: argv.slice(bestWords) };
}

/** The first word of every named command. */
function commandWords(spec: CliSpec): string[] {
  return [...new Set(spec.commands.map((c) => c.name.split(" ")[0] ?? ""))].filter((w) => w !== "");
}

function unknownCommand(spec: CliSpec, argv: readonly string[]): PerflayerConfigError {
  const typed = argv[0] as string;
  const group = spec.commands.filter((c) => c.name.startsWith(`${typed} `));
  if (group.length > 0) {
    const subs = group.map((c) => c.name.slice(typed.length + 1));
    const next = argv[1];
    const guess = next === undefined ? undefined : didYouMean(next, subs);
    return usageError(
      `${next === undefined || next.startsWith("-") ? `\`${spec.name} ${typed}\` needs one of: ${subs.join(", ")}.` : `Unknown command "${typed} ${next}"${guess === undefined ? `; it is one of ${subs.join(", ")}.` : `; did you mean "${typed} ${guess}"?`}`} See ${spec.name} --help.`,
    );
  }
  const firstWords = commandWords(spec);
  const guess = didYouMean(typed, firstWords);
  return usageError(
    `Unknown command "${typed}"${guess === undefined ? `; the commands are ${firstWords.join(", ")}.` : `; did you mean "${guess}"?`} See ${spec.name} --help.`,
  );
}

function unknownFlag(
  spec: CliSpec,
  command: Command,
  raw: string,
  name: string,
): PerflayerConfigError {
  const where = [spec.name, command.name].filter((w) => w !== "").join(" ");
  const elsewhere = spec.commands
    .filter((c) => c !== command && Object.hasOwn(c.flags, name))
    .map((c) => c.name);
  if (raw.startsWith("--") && elsewhere.length > 0)
    return usageError(
      `${raw} is a flag of ${elsewhere.map((c) => `${spec.name} ${c}`).join(" and ")}, not of ${where}. See ${where} --help.`,
    );
  const candidates = Object.keys({ ...command.flags, ...BUILT_IN });
  const guess = raw.startsWith("--") ? didYouMean(name, candidates) : undefined;
  return usageError(
    `Unknown flag ${raw}${guess === undefined ? "." : `; did you mean --${guess}?`} See ${where} --help.`,
  );
}

/** Parses a command's arguments against its table: one line per mistake, saying what to do. */
function parseCommand(
  spec: CliSpec,
  command: Command,
  args: readonly string[],
): ParsedArgs<FlagTable> {
  const table = { ...command.flags, ...BUILT_IN };
  const options = Object.fromEntries(
    Object.entries(table).map(([name, f]) => [
      name,
      f.short === undefined ? { type: f.type } : { type: f.type, short: f.short },
    ]),
  );
  const { tokens } = parseArgs({
    args: [...args],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const values: Record<string, string | boolean | string[] | boolean[]> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const flag = table[token.name];
    if (flag === undefined) throw unknownFlag(spec, command, token.rawName, token.name);
    let value: string | boolean = true;
    if (flag.type === "boolean" && token.value !== undefined)
      throw usageError(
        `--${token.name} takes no value, got "${token.value}". Pass --${token.name} on its own.`,
      );
    if (flag.type === "string") {
      if (token.value === undefined || (token.inlineValue !== true && token.value.startsWith("--")))
        throw usageError(
          `${token.rawName} needs a value${token.value === undefined ? "" : `, got the flag ${token.value}`}: ${flagLabel(token.name, flag)}. See ${[spec.name, command.name].filter((w) => w !== "").join(" ")} --help.`,
        );
      value = token.value;
    }
    const previous = values[token.name];
    values[token.name] =
      flag.multiple === true
        ? ([...(Array.isArray(previous) ? previous : []), value] as string[] | boolean[])
        : value;
  }
  return { values, positionals };
}

/**
 * Runs a CLI from its declared commands, inside the one error boundary ({@link withErrorBoundary}):
 * selects the command named by the first words of `argv` (or the unnamed one), parses its flags,
 * answers `--help`/`-h` (per command) and `--version`/`-v`, and runs it. An unknown command or
 * flag, a missing value or a value given to a switch is a usage error of one line with a
 * did-you-mean and a pointer to `--help`: exit 2.
 * @param spec - the CLI
 * @param argv - the arguments after the bin's name
 * @param io - streams and environment
 * @returns the exit code: the command's, 0 for help and version, 2 for usage or internal errors
 */
export function runCli(spec: CliSpec, argv: readonly string[], io: CliIo): Promise<number> {
  const version = (): number => {
    io.stdout.write(`${spec.name} ${spec.version}\n`);
    return EXIT.ok;
  };
  return withErrorBoundary(spec.name, io, async () => {
    const byDefault = spec.commands.find((c) => c.name === "");
    let selected = select(spec, argv);
    if (selected === undefined) {
      const first = argv[0] === "--" ? undefined : argv[0];
      const namesGroup =
        first !== undefined && spec.commands.some((c) => c.name.startsWith(`${first} `));
      const looksLikeCommand =
        first !== undefined &&
        !first.startsWith("-") &&
        (byDefault === undefined ||
          namesGroup ||
          (didYouMean(first, commandWords(spec)) !== undefined &&
            !existsSync(resolve(io.cwd, first))));
      if (namesGroup && (argv[1] === "--help" || argv[1] === "-h")) {
        io.stdout.write(
          overview(
            spec,
            spec.commands.filter((c) => c.name.startsWith(`${first} `)),
          ),
        );
        return EXIT.ok;
      }
      if (looksLikeCommand) throw unknownCommand(spec, argv);
      if (byDefault !== undefined) selected = { command: byDefault, rest: [...argv] };
      else if (first === "--version" || first === "-v") return version();
      else if (first === "--help" || first === "-h") {
        io.stdout.write(overview(spec, spec.commands));
        return EXIT.ok;
      } else if (first === undefined) {
        io.stderr.write(overview(spec, spec.commands));
        return EXIT.error;
      } else
        throw usageError(
          `Expected a command before ${first}: ${spec.commands.map((c) => c.name).join(", ")}. See ${spec.name} --help.`,
        );
    }
    const { command, rest } = selected;
    const parsed = parseCommand(spec, command, rest);
    if (parsed.values["version"] === true) return version();
    const extra = parsed.positionals[command.maxArguments ?? Number.POSITIVE_INFINITY];
    if (extra !== undefined && parsed.values["help"] !== true) {
      const where = [spec.name, command.name].filter((w) => w !== "").join(" ");
      throw usageError(`Unexpected argument "${extra}" for ${where}. See ${where} --help.`);
    }
    if (parsed.values["help"] === true) {
      io.stdout.write(commandHelp(spec, command));
      return EXIT.ok;
    }
    return command.run(parsed, io);
  });
}
