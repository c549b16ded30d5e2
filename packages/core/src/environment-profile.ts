import { PerflayerConfigError } from "./perflayer-error.js";
import { formatExpected } from "./validation.js";

/** The two environments perflayer tunes its defaults for. */
export type ProfileName = "local" | "ci";

/**
 * Defaults that differ between a developer's machine and CI: CI machines are shared and noisier,
 * so memory budgets are looser and benchmark gates more tolerant.
 */
export interface EnvironmentProfile {
  /** `local` or `ci`. */
  readonly name: ProfileName;
  /** Why this profile was chosen, e.g. `CI=true` or `PERFLAYER_PROFILE=local`. */
  readonly reason: string;
  /**
   * The memory budget perflayer's own memory tests run under: 80 MiB locally, 120 MiB under CI.
   * `MemoryOptimizer` uses it only when passed this profile; a service's default budget is half
   * its effective memory limit.
   */
  readonly memoryBudgetBytes: number;
  /** Default response-time objective (p99) of `ResponseOptimizer`: 100 ms. */
  readonly responseTimeBudgetMs: number;
  /**
   * Relative noise a benchmark gate tolerates before it calls a difference real:
   * 0.05 (5 %) locally, 0.10 under CI.
   */
  readonly benchNoiseTolerance: number;
}

/** Environment variables consulted by {@link detectProfile}. */
export type EnvironmentMap = Readonly<Record<string, string | undefined>>;

const MIB = 1024 * 1024;

/** The built-in defaults per profile, before environment overrides. */
export const PROFILE_DEFAULTS: Readonly<Record<ProfileName, Omit<EnvironmentProfile, "reason">>> =
  Object.freeze({
    local: Object.freeze({
      name: "local",
      memoryBudgetBytes: 80 * MIB,
      responseTimeBudgetMs: 100,
      benchNoiseTolerance: 0.05,
    }),
    ci: Object.freeze({
      name: "ci",
      memoryBudgetBytes: 120 * MIB,
      responseTimeBudgetMs: 100,
      benchNoiseTolerance: 0.1,
    }),
  } as const);

/** Variables whose presence marks a CI run (the common providers). */
const CI_MARKERS: readonly string[] = [
  "GITHUB_ACTIONS",
  "GITLAB_CI",
  "BUILDKITE",
  "CIRCLECI",
  "TRAVIS",
  "JENKINS_URL",
  "TEAMCITY_VERSION",
  "TF_BUILD",
  "BITBUCKET_BUILD_NUMBER",
  "CODEBUILD_BUILD_ID",
  "DRONE",
  "APPVEYOR",
  "BUILD_ID",
  "RUN_ID",
];

function isFalsy(value: string): boolean {
  return ["", "0", "false", "no", "off"].includes(value.trim().toLowerCase());
}

function ciReason(env: EnvironmentMap): string | undefined {
  const ci = env["CI"];
  if (ci !== undefined) return isFalsy(ci) ? undefined : `CI=${ci}`;
  const marker = CI_MARKERS.find((name) => env[name] !== undefined && !isFalsy(env[name] ?? ""));
  return marker === undefined ? undefined : `${marker} is set`;
}

function numberFromEnv(
  env: EnvironmentMap,
  name: string,
  min: number,
  fix: string,
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= min) {
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      formatExpected({
        name,
        expected: `a number > ${min}`,
        got: raw,
        fix,
        context: "detectProfile()",
      }),
    );
  }
  return value;
}

/**
 * Detects the environment profile from environment variables.
 *
 * - `PERFLAYER_PROFILE=local|ci` wins;
 * - otherwise `CI` (unless `false`/`0`) or a known CI provider's variable selects `ci`;
 * - otherwise `local`.
 *
 * `PERFLAYER_MEMORY_BUDGET_MB`, `PERFLAYER_RESPONSE_BUDGET_MS` and `PERFLAYER_BENCH_TOLERANCE`
 * override single defaults. Invalid values throw {@link PerflayerConfigError}.
 *
 * @example
 * ```ts
 * detectProfile({ CI: "true" }).memoryBudgetBytes; // 125829120 (120 MiB)
 * ```
 * @param env - the variables to read; defaults to `process.env`
 * @returns the profile
 */
export function detectProfile(env: EnvironmentMap = process.env): EnvironmentProfile {
  const explicit = env["PERFLAYER_PROFILE"];
  let name: ProfileName;
  let reason: string;
  if (explicit !== undefined && explicit.trim() !== "") {
    const wanted = explicit.trim().toLowerCase();
    if (wanted !== "local" && wanted !== "ci") {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "PERFLAYER_PROFILE",
          expected: '"local" or "ci"',
          got: explicit,
          fix: "Unset it to detect the profile, or set PERFLAYER_PROFILE=ci.",
          context: "detectProfile()",
        }),
      );
    }
    name = wanted;
    reason = `PERFLAYER_PROFILE=${explicit}`;
  } else {
    const ci = ciReason(env);
    name = ci === undefined ? "local" : "ci";
    reason = ci ?? "no CI variable set";
  }
  const defaults = PROFILE_DEFAULTS[name];
  const budgetMb = numberFromEnv(
    env,
    "PERFLAYER_MEMORY_BUDGET_MB",
    0,
    "Set e.g. PERFLAYER_MEMORY_BUDGET_MB=256.",
  );
  const responseMs = numberFromEnv(
    env,
    "PERFLAYER_RESPONSE_BUDGET_MS",
    0,
    "Set e.g. PERFLAYER_RESPONSE_BUDGET_MS=250.",
  );
  const tolerance = numberFromEnv(
    env,
    "PERFLAYER_BENCH_TOLERANCE",
    0,
    "Set a fraction, e.g. PERFLAYER_BENCH_TOLERANCE=0.08.",
  );
  return Object.freeze({
    name,
    reason,
    memoryBudgetBytes:
      budgetMb === undefined ? defaults.memoryBudgetBytes : Math.round(budgetMb * MIB),
    responseTimeBudgetMs: responseMs ?? defaults.responseTimeBudgetMs,
    benchNoiseTolerance: tolerance ?? defaults.benchNoiseTolerance,
  });
}
