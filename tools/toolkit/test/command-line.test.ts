import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  colorEnabled,
  defineCommand,
  didYouMean,
  emit,
  memoryIo,
  oneOf,
  outputFlags,
  packageVersion,
  painter,
  runBin,
  runCli,
  withErrorBoundary,
} from "@perflayer/toolkit";
import type { CliSpec } from "@perflayer/toolkit";

/** A small CLI with two named commands and a group, shaped like bench-gate's table. */
function demo(seen: unknown[] = []): CliSpec {
  return {
    name: "demo",
    version: "1.2.3",
    summary: "A demo CLI.",
    footer: "Exit codes: 0 ok, 2 usage.",
    commands: [
      defineCommand({
        name: "compare",
        summary: "compare two things",
        usage: ["--base <x> --head <y> [--json]"],
        flags: {
          base: { type: "string", value: "x", description: "the base" },
          head: { type: "string", value: "y", description: "the head" },
          json: { type: "boolean", description: "JSON output" },
          tag: { type: "string", multiple: true, description: "a tag\n(repeatable)" },
        },
        run({ values, positionals }) {
          seen.push({ values, positionals });
          return Promise.resolve(0);
        },
      }),
      defineCommand({
        name: "calibrate",
        summary: "measure noise",
        usage: ["--repeats <n>"],
        flags: { repeats: { type: "string", description: "how many" } },
        maxArguments: 0,
        run: () => Promise.resolve(0),
      }),
      defineCommand({
        name: "baseline save",
        summary: "save a baseline",
        usage: ["--from <file>"],
        flags: { from: { type: "string", description: "results" } },
        run: () => Promise.resolve(0),
      }),
      defineCommand({
        name: "baseline show",
        summary: "show a baseline",
        usage: ["[file]"],
        flags: {},
        run: () => Promise.resolve(0),
      }),
    ],
  };
}

describe("runCli", () => {
  it("parses typed flags, repeated flags and positionals after --", async () => {
    const seen: unknown[] = [];
    const code = await runCli(
      demo(seen),
      ["compare", "--base=a", "--head", "b", "--json", "--tag", "x", "--tag", "y", "--", "--z"],
      memoryIo(process.cwd()),
    );
    expect(code).toBe(0);
    expect(seen).toEqual([
      { values: { base: "a", head: "b", json: true, tag: ["x", "y"] }, positionals: ["--z"] },
    ]);
  });

  it("answers --version and -v anywhere, and --help per command", async () => {
    for (const argv of [["--version"], ["-v"], ["compare", "--version"]]) {
      const io = memoryIo(process.cwd());
      expect(await runCli(demo(), argv, io)).toBe(0);
      expect(io.out()).toBe("demo 1.2.3\n");
    }
    const help = memoryIo(process.cwd());
    expect(await runCli(demo(), ["compare", "--help"], help)).toBe(0);
    expect(help.out()).toContain("Usage: demo compare --base <x> --head <y> [--json]");
    expect(help.out()).toMatch(/--tag <value> +a tag\n +\(repeatable\)/);
    expect(help.out()).toMatch(/-v, --version +print the version/);
    expect(help.out()).not.toContain("calibrate");
    const overview = memoryIo(process.cwd());
    expect(await runCli(demo(), ["-h"], overview)).toBe(0);
    expect(overview.out()).toContain("demo baseline save --from <file>");
    const group = memoryIo(process.cwd());
    expect(await runCli(demo(), ["baseline", "--help"], group)).toBe(0);
    expect(group.out()).toContain("demo baseline show [file]");
    expect(group.out()).not.toContain("demo compare");
  });

  it("answers an unknown flag in one line with a did-you-mean and a pointer to --help, exit 2", async () => {
    const io = memoryIo(process.cwd());
    expect(await runCli(demo(), ["compare", "--bsae", "x"], io)).toBe(2);
    expect(io.err()).toBe(
      "demo: ERR_USAGE: Unknown flag --bsae; did you mean --base? See demo compare --help.\n",
    );
    const elsewhere = memoryIo(process.cwd());
    expect(await runCli(demo(), ["compare", "--repeats", "3"], elsewhere)).toBe(2);
    expect(elsewhere.err()).toContain(
      "--repeats is a flag of demo calibrate, not of demo compare.",
    );
    const far = memoryIo(process.cwd());
    expect(await runCli(demo(), ["compare", "-x"], far)).toBe(2);
    expect(far.err()).toBe("demo: ERR_USAGE: Unknown flag -x. See demo compare --help.\n");
  });

  it("refuses an argument a command does not take", async () => {
    const io = memoryIo(process.cwd());
    expect(await runCli(demo(), ["calibrate", "--repeats", "3", "extra"], io)).toBe(2);
    expect(io.err()).toBe(
      'demo: ERR_USAGE: Unexpected argument "extra" for demo calibrate. See demo calibrate --help.\n',
    );
  });

  it("answers a missing value, or a value given to a switch, with what to pass", async () => {
    const missing = memoryIo(process.cwd());
    expect(await runCli(demo(), ["compare", "--base"], missing)).toBe(2);
    expect(missing.err()).toContain("--base needs a value: --base <x>.");
    const swallowed = memoryIo(process.cwd());
    expect(await runCli(demo(), ["compare", "--base", "--json"], swallowed)).toBe(2);
    expect(swallowed.err()).toContain("--base needs a value, got the flag --json");
    const valued = memoryIo(process.cwd());
    expect(await runCli(demo(), ["compare", "--json=yes"], valued)).toBe(2);
    expect(valued.err()).toContain('--json takes no value, got "yes"');
  });

  it("answers an unknown command with a did-you-mean, a group with its members", async () => {
    const typo = memoryIo(process.cwd());
    expect(await runCli(demo(), ["comapre"], typo)).toBe(2);
    expect(typo.err()).toBe(
      'demo: ERR_USAGE: Unknown command "comapre"; did you mean "compare"? See demo --help.\n',
    );
    const group = memoryIo(process.cwd());
    expect(await runCli(demo(), ["baseline", "shwo"], group)).toBe(2);
    expect(group.err()).toContain('Unknown command "baseline shwo"; did you mean "baseline show"?');
    const bare = memoryIo(process.cwd());
    expect(await runCli(demo(), ["baseline"], bare)).toBe(2);
    expect(bare.err()).toContain("`demo baseline` needs one of: save, show.");
    const nothing = memoryIo(process.cwd());
    expect(await runCli(demo(), [], nothing)).toBe(2);
    expect(nothing.err()).toContain("Commands:");
  });

  it("runs the unnamed command for paths, but catches a mistyped command name that is no path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "toolkit-cli-"));
    mkdirSync(join(dir, "dco"));
    const ran: unknown[] = [];
    const spec: CliSpec = {
      ...demo(),
      commands: [
        defineCommand({
          name: "",
          summary: "check",
          usage: ["[paths…]"],
          flags: {},
          run: ({ positionals }) => Promise.resolve(ran.push(positionals) && 0),
        }),
        defineCommand({
          name: "doc",
          summary: "write the document",
          usage: [""],
          flags: {},
          run: () => Promise.resolve(0),
        }),
      ],
    };
    expect(await runCli(spec, ["src"], memoryIo(dir))).toBe(0);
    expect(await runCli(spec, ["dco"], memoryIo(dir))).toBe(0); // a folder of that name exists
    expect(ran).toEqual([["src"], ["dco"]]);
    const typo = memoryIo(dir);
    expect(await runCli(spec, ["dcc"], typo)).toBe(2);
    expect(typo.err()).toContain('did you mean "doc"?');
    const help = memoryIo(dir);
    await runCli(spec, ["--help"], help);
    expect(help.out()).toContain("Commands:\n  demo doc: write the document");
  });
});

describe("defineCommand", () => {
  it("refuses a flag that would shadow --help, --version or their short forms", () => {
    const command = (
      flags: Record<string, { type: "boolean"; short?: string; description: string }>,
    ) => defineCommand({ name: "x", summary: "", usage: [], flags, run: () => Promise.resolve(0) });
    expect(() => command({ verbose: { type: "boolean", short: "v", description: "" } })).toThrow(
      "x: --verbose clashes with --help/-h or --version/-v",
    );
    expect(() => command({ help: { type: "boolean", description: "" } })).toThrow("clashes");
    expect(() =>
      command({ verbose: { type: "boolean", short: "V", description: "" } }),
    ).not.toThrow();
  });
});

describe("didYouMean", () => {
  it("suggests the nearest candidate within a few edits, or a unique prefix, else nothing", () => {
    expect(didYouMean("comapre", ["run", "check", "compare"])).toBe("compare");
    expect(didYouMean("expect", ["expect-faster", "threshold"])).toBe("expect-faster");
    expect(didYouMean("FORMAT", ["format"])).toBe("format");
    expect(didYouMean("zzz", ["run", "check"])).toBeUndefined();
    expect(didYouMean("ba", ["base", "bar"])).toBe("bar");
  });

  it("completes oneOf's message", () => {
    expect(() => oneOf("format", "jsno", ["text", "json"])).toThrow(
      'Expected --format to be one of text, json, got "jsno". Did you mean "json"?',
    );
  });
});

describe("colour", () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true };

  it("follows Node: FORCE_COLOR wins, then NO_COLOR and TERM=dumb, then whether it is a terminal", () => {
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "" })).toBe(true);
    expect(colorEnabled(tty, { TERM: "dumb" })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled(tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true);
  });

  it("paints with ANSI styles only when colour is on", () => {
    const on = painter(memoryIo(process.cwd(), {}, true));
    expect(on("error", "REGRESSION")).toBe("\u001b[1m\u001b[31mREGRESSION\u001b[39m\u001b[22m");
    expect(painter(memoryIo(process.cwd()))("error", "REGRESSION")).toBe("REGRESSION");
    expect(painter(memoryIo(process.cwd(), { NO_COLOR: "1" }, true))("ok", "fine")).toBe("fine");
  });
});

describe("emit", () => {
  it("writes into an existing folder, creates missing ones only with mkdir, and names the path of every failure", async () => {
    const dir = mkdtempSync(join(tmpdir(), "toolkit-emit-"));
    const io = memoryIo(dir);
    emit(io, "a", "a.txt");
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("a");
    expect(() => emit(io, "b", "new/dir/b.txt")).toThrow(
      `Cannot write --out ${join(dir, "new/dir/b.txt")}: the folder ${join(dir, "new/dir")} does not exist. Create it, or pass --mkdir`,
    );
    emit(io, "b", "new/dir/b.txt", { mkdir: true });
    expect(readFileSync(join(dir, "new/dir/b.txt"), "utf8")).toBe("b");
    expect(() => emit(io, "c", ".", { flag: "--report" })).toThrow(
      `Cannot write --report ${dir}: it is a folder, not a file. Pass a file path, not a folder.`,
    );
    writeFileSync(join(dir, "file"), "");
    expect(() => emit(io, "d", "file/d.txt", { mkdir: true })).toThrow(
      /Cannot write --out .*file\/d\.txt: a part of the path is a file, not a folder/,
    );
    const boundary = memoryIo(dir);
    const write = (): Promise<number> => {
      emit(io, "x", ".");
      return Promise.resolve(0);
    };
    expect(await withErrorBoundary("tool", boundary, write)).toBe(2);
    expect(boundary.err()).toMatch(/^tool: ERR_OUT: Cannot write --out .*: it is a folder/);
    expect(Object.keys(outputFlags("the report"))).toEqual(["out", "mkdir"]);
  });

  it("reports a stray file-system error as a usage error naming the path, not as a bug", async () => {
    const io = memoryIo(process.cwd());
    const code = await withErrorBoundary("tool", io, () =>
      Promise.resolve(readFileSync("/no/such/file.json", "utf8").length),
    );
    expect(code).toBe(2);
    expect(io.err()).toBe("tool: ENOENT: /no/such/file.json: no such file or folder (open).\n");
  });
});

describe("runBin", () => {
  it("runs a Node script with its arguments in a child process, with only PATH, HOME and the given environment", async () => {
    const dir = mkdtempSync(join(tmpdir(), "toolkit-bin-"));
    const bin = join(dir, "bin.js");
    writeFileSync(
      bin,
      "process.stdout.write(JSON.stringify({ args: process.argv.slice(2), env: Object.keys(process.env).sort() }));\nprocess.stderr.write('oops');\nprocess.exitCode = 3;\n",
    );
    const result = await runBin(bin, ["a", "--b"], { cwd: dir, env: { EXTRA: "1" } });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe("oops");
    const seen = JSON.parse(result.stdout) as { args: string[]; env: string[] };
    expect(seen.args).toEqual(["a", "--b"]);
    expect(seen.env).toEqual(["EXTRA", "HOME", "PATH"]);
  });
});

describe("packageVersion", () => {
  it("reads the version of the package a module belongs to", () => {
    const manifest = JSON.parse(
      readFileSync(join(import.meta.dirname, "../package.json"), "utf8"),
    ) as { version: string };
    expect(packageVersion(new URL("../src/cli.ts", import.meta.url).href)).toBe(manifest.version);
  });
});
