export {
  bootstrapRatio,
  mannWhitney,
  median,
  normalCdf,
  relativeNoise,
  seededRandom,
} from "./statistics.js";
export type { Interval, MannWhitney } from "./statistics.js";
export { decide } from "./verdict.js";
export type { DecisionOptions, PerSide, Verdict, VerdictKind } from "./verdict.js";
export { checkoutBase } from "./base-tree.js";
export type { BaseTree } from "./base-tree.js";
export { commandRunner, functionRunner, parseSelfTimed, reportSample } from "./runners.js";
export type { CommandRunnerOptions, FunctionRunnerOptions, Runner, Sample } from "./runners.js";
export { compareRunners } from "./compare.js";
export type { CompareOptions, Comparison } from "./compare.js";
export { fingerprintDifferences, fingerprintEnvironment, loadResults } from "./results.js";
export type { EnvironmentFingerprint, LoadedResults, ResultsFile } from "./results.js";
export { renderMarkdown, renderSvg, renderText } from "./render.js";
export type { NamedComparison } from "./render.js";
export { run } from "./cli.js";
