import { PerflayerConfigError } from "@perflayer/core";
import { EXIT, defineCommand } from "@perflayer/toolkit";
import type { Command } from "@perflayer/toolkit";
import { SAMPLING_FLAGS, decisionOf, positiveInt, samplingOf, unmeasured } from "./cli-flags.js";
import { compareRunners } from "./compare.js";
import { commandRunner } from "./runners.js";

/** `bench-gate calibrate`: a command against itself, the empirical false-positive rate. */
export const calibrateCommand: Command = defineCommand({
  name: "calibrate",
  summary: "run a command against itself n times: the empirical false-positive rate",
  usage: ["--cmd <cmd> [--repeats n]"],
  maxArguments: 0,
  flags: {
    cmd: { type: "string", value: "cmd", description: "the shell command" },
    repeats: { type: "string", value: "n", description: "A/A comparisons (default 20)" },
    threshold: {
      type: "string",
      value: "p",
      description: "a slowdown beyond p is a regression (default: 5% locally, 10% under CI)",
    },
    ...SAMPLING_FLAGS,
  },
  async run({ values }, io) {
    if (values.cmd === undefined)
      throw new PerflayerConfigError(
        "ERR_USAGE",
        "calibrate needs --cmd <command> (run against itself).",
      );
    const { threshold } = decisionOf(values, io);
    const sampling = samplingOf(values);
    const repeats = positiveInt("repeats", values.repeats, 20);
    const runner = commandRunner(values.cmd.replace(/^[\w-]+=/, ""), { cwd: io.cwd });
    let falsePositives = 0;
    let inconclusive = 0;
    for (let i = 0; i < repeats; i++) {
      let verdict;
      try {
        ({ verdict } = await compareRunners({
          base: runner,
          head: runner,
          decision: { threshold },
          ...sampling,
          confirmRegression: true,
          seed: i + 1,
        }));
      } catch (error) {
        return unmeasured(error, "bench-gate calibrate: the command", io);
      }
      if (verdict.kind === "regression" || verdict.kind === "improvement") falsePositives++;
      if (verdict.kind === "inconclusive") inconclusive++;
    }
    io.stdout.write(
      `calibrate: ${repeats} A/A comparisons at a ${(threshold * 100).toFixed(1)} % threshold: ${falsePositives} false positive(s) (${((falsePositives / repeats) * 100).toFixed(1)} %), ${inconclusive} inconclusive.\n`,
    );
    return falsePositives / repeats > 0.05 ? EXIT.findings : EXIT.ok;
  },
});
