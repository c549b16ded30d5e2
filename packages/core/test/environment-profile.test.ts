import { describe, expect, it } from "vitest";
import { PerflayerConfigError, detectProfile } from "@perflayer/core";

const MIB = 1024 * 1024;

describe("detectProfile", () => {
  it("is local with no CI variables, with the local defaults", () => {
    const profile = detectProfile({});
    expect(profile.name).toBe("local");
    expect(profile.memoryBudgetBytes).toBe(80 * MIB);
    expect(profile.responseTimeBudgetMs).toBe(100);
    expect(profile.benchNoiseTolerance).toBe(0.05);
  });

  it.each([
    [{ CI: "true" }, "CI=true"],
    [{ CI: "1" }, "CI=1"],
    [{ GITHUB_ACTIONS: "true" }, "GITHUB_ACTIONS is set"],
    [{ GITLAB_CI: "yes" }, "GITLAB_CI is set"],
    [{ JENKINS_URL: "http://jenkins" }, "JENKINS_URL is set"],
  ])("is ci for %j", (env, reason) => {
    const profile = detectProfile(env);
    expect(profile.name).toBe("ci");
    expect(profile.reason).toBe(reason);
    expect(profile.memoryBudgetBytes).toBe(120 * MIB);
    expect(profile.benchNoiseTolerance).toBe(0.1);
  });

  it("treats CI=false as local even when a provider variable is set", () => {
    expect(detectProfile({ CI: "false", GITHUB_ACTIONS: "true" }).name).toBe("local");
  });

  it("lets PERFLAYER_PROFILE override detection either way", () => {
    expect(detectProfile({ CI: "true", PERFLAYER_PROFILE: "local" }).name).toBe("local");
    expect(detectProfile({ PERFLAYER_PROFILE: "CI" }).name).toBe("ci");
  });

  it("applies single-value overrides", () => {
    const profile = detectProfile({
      PERFLAYER_MEMORY_BUDGET_MB: "256",
      PERFLAYER_RESPONSE_BUDGET_MS: "250",
      PERFLAYER_BENCH_TOLERANCE: "0.2",
    });
    expect(profile.memoryBudgetBytes).toBe(256 * MIB);
    expect(profile.responseTimeBudgetMs).toBe(250);
    expect(profile.benchNoiseTolerance).toBe(0.2);
  });

  it("rejects an unknown profile name with a config error naming the variable", () => {
    expect(() => detectProfile({ PERFLAYER_PROFILE: "prod" })).toThrow(PerflayerConfigError);
    expect(() => detectProfile({ PERFLAYER_PROFILE: "prod" })).toThrow(
      'Expected `PERFLAYER_PROFILE` to be "local" or "ci", got `"prod"` (string)',
    );
  });

  it.each(["abc", "-5", "0", "NaN"])("rejects PERFLAYER_MEMORY_BUDGET_MB=%s", (value) => {
    expect(() => detectProfile({ PERFLAYER_MEMORY_BUDGET_MB: value })).toThrow(
      /PERFLAYER_MEMORY_BUDGET_MB/,
    );
  });
});
