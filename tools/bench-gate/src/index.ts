export {
  bootstrapAnchoredRatio,
  bootstrapMedians,
  bootstrapRatio,
  mannWhitney,
  median,
  medianNoise,
  normalCdf,
  pairedRatioNoise,
  relativeNoise,
  seededRandom,
} from "./statistics.js";
export type { Interval, MannWhitney, SampleSet } from "./statistics.js";
export {
  confirmed,
  decide,
  describeTarget,
  isTimeUnit,
  judgeTarget,
  targetLimit,
} from "./verdict.js";
export type {
  Bound,
  DecisionOptions,
  PerSide,
  Processes,
  Target,
  TargetOptions,
  Verdict,
  VerdictKind,
} from "./verdict.js";
export { INSTRUCTIONS_UNIT, asyncOpLoop, countedAndTimed, defineSuite, opLoop } from "./suite.js";
export { valgrindCommand } from "./valgrind.js";
export { isTinybench, tinybenchSuite } from "./tinybench-suite.js";
export type {
  TinybenchLike,
  TinybenchTarget,
  TinybenchTargets,
  TinybenchTaskLike,
} from "./tinybench-suite.js";
export type {
  BenchmarkDefinition,
  Builder,
  Contenders,
  LoopOptions,
  Measure,
  MeasureMode,
  SetupContext,
  Suite,
} from "./suite.js";
export { runSuites, toResultsFile } from "./run-suites.js";
export type { BenchmarkResult, RunMode, RunSuitesOptions, SuiteRun } from "./run-suites.js";
export { checkSuites, compareWithBaseline, sameMachine } from "./gate.js";
export { compareSuites } from "./compare-suites.js";
export type { CompareSuitesOptions, SuiteComparison } from "./compare-suites.js";
export type { BaselineComparison, CheckOptions, CheckReport } from "./gate.js";
export { renderRunMarkdown, renderRunText, runComparisons, spliceReport } from "./render-run.js";
export { checkoutBase } from "./base-tree.js";
export type { BaseTree } from "./base-tree.js";
export {
  commandRunner,
  countGcs,
  functionRunner,
  parseSelfTimed,
  processesOf,
  reportSample,
} from "./runners.js";
export type {
  CommandRunnerOptions,
  FunctionRunnerOptions,
  GcCounter,
  Runner,
  Sample,
} from "./runners.js";
export { compareRunners } from "./compare.js";
export type { CompareOptions, Comparison } from "./compare.js";
export {
  fingerprintDifferences,
  fingerprintEnvironment,
  loadResults,
  mergeResults,
} from "./results.js";
export type { EnvironmentFingerprint, LoadedResults, ResultsFile } from "./results.js";
export { formatValue, renderMarkdown, renderText } from "./render.js";
export { renderSvg } from "./render-svg.js";
export type { NamedComparison } from "./render.js";
export { run } from "./cli.js";
