import { packageVersion, runCli } from "@perflayer/toolkit";
import type { CliIo, CliSpec } from "@perflayer/toolkit";
import { baselineSaveCommand, baselineShowCommand } from "./baseline-commands.js";
import { calibrateCommand } from "./calibrate-command.js";
import { compareCommand } from "./compare-command.js";
import { checkCommand, runCommand } from "./run-commands.js";

const CLI: CliSpec = {
  name: "bench-gate",
  version: packageVersion(import.meta.url),
  summary: "A benchmark gate that gives honest verdicts on noisy machines.",
  commands: [
    runCommand,
    checkCommand,
    compareCommand,
    calibrateCommand,
    baselineSaveCommand,
    baselineShowCommand,
  ],
  footer: `Exit codes: 0 pass (no change, improvement, improvement holds, target met, or inconclusive
without --strict or --expect-faster); 1 a regression or missed target (each confirmed by a
re-run), an expected improvement that does not hold or is inconclusive, a benchmark or command
that could not be measured (threw, crashed, timed out), any inconclusive with --strict, or a
calibration above 5 %; 2 usage or internal error. Reference: docs/bench-gate/cli.md.`,
};

/**
 * The `bench-gate` command. Only `bin/bench-gate.js` sets the exit code.
 * @param argv - arguments after the command name
 * @param io - streams and environment
 * @returns 0 pass, 1 regression, missed target or expected improvement missing, 2 usage or
 *   internal error
 */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runCli(CLI, argv, io);
}
