import { basename } from "node:path";
import { commandRunner } from "./runners.js";
import type { Sample } from "./runners.js";

/** Start-up above this share of a wall-timed sample earns a warning. */
const LARGE_SHARE = 0.3;

/** The program's name without quotes or folder, e.g. `node` for `"/usr/bin/node"`. */
function runtimeOf(program: string): string {
  return basename(program.replace(/^["']|["']$/g, ""));
}

/**
 * The command that starts the same runtime as `command` and does nothing: for `node` and `tsx`
 * commands, the program and its flags before the script, with `-e 0`.
 * @param command - a measured shell command
 * @returns the probe, or undefined for other programs (their start-up is not estimated)
 */
export function startupProbe(command: string): string | undefined {
  const words = command.trim().split(/\s+/);
  const program = words[0] ?? "";
  if (!/^(node|tsx)(\.exe)?$/.test(basename(program.replace(/^["']|["']$/g, "")))) return undefined;
  const script = words.findIndex((w, i) => i > 0 && /^[^-].*\.[cm]?[jt]sx?$/.test(w));
  const flags = script < 0 ? [] : words.slice(1, script);
  return [program, ...flags, "-e", "0"].join(" ");
}

/** What {@link startupWarning} needs to know about one side. */
export interface StartupCheck {
  /** The side's name in the message, e.g. "base". */
  readonly side: string;
  /** The command measured. */
  readonly command: string;
  /** Where it ran. */
  readonly cwd: string;
  /** Its samples. */
  readonly samples: readonly Sample[];
}

/**
 * Warns when starting a command's runtime is a large share (≥ 30 %) of its fastest wall-timed sample: the
 * work being compared is then diluted by start-up, which is the same on both sides. Self-timed
 * samples (see `reportSample`) measure only the work and are not checked.
 * @param check - the side, its command and its samples
 * @returns the warning, or undefined when start-up is small, unknown or excluded
 */
export async function startupWarning(check: StartupCheck): Promise<string | undefined> {
  const probe = startupProbe(check.command);
  if (probe === undefined || check.samples.length === 0 || check.samples.some((s) => s.selfTimed))
    return undefined;
  const runner = commandRunner(probe, { cwd: check.cwd });
  await runner(); // warm the file system cache, as the measured runs were
  const startups: number[] = [];
  for (let i = 0; i < 3; i++) startups.push((await runner()).value);
  // The fastest of each: load on a busy machine only adds time, so the minimums are the two
  // figures least disturbed by it (medians of three let one slow spell hide the warning).
  const startup = Math.min(...startups);
  const sample = Math.min(...check.samples.map((s) => s.value));
  const share = startup / sample;
  if (share < LARGE_SHARE) return undefined;
  const [program = "", ...flags] = probe.replace(/ -e 0$/, "").split(" ");
  return `starting \`${[runtimeOf(program), ...flags].join(" ")}\` alone takes ${startup.toFixed(1)} ms, ${(Math.min(share, 1) * 100).toFixed(0)} % of ${check.side}'s fastest sample (${sample.toFixed(1)} ms): start-up, the same on both sides, dilutes the difference being measured. Make the command self-timed so only the work counts: print a \`bench-gate: ms=<n>\` line (reportSample() from @perflayer/bench-gate does it).`;
}
