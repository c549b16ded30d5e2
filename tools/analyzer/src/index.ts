export { analyze } from "./analyze.js";
export type { AnalyzeOptions } from "./analyze.js";
export { ANALYZER_VERSION, REPORT_SCHEMA_VERSION } from "./analysis-report.js";
export type {
  AnalysisReport,
  AnalyzerFinding,
  CategoryTotals,
  DetectorFailureReport,
  ExemptedFinding,
  Exemption,
  ReportSummary,
  ReportTimings,
  ReportTool,
  ReportedClone,
  Risk,
  RoadmapStep,
} from "./analysis-report.js";
export { buildRoadmap } from "./roadmap.js";
export { findProjectRoot } from "./project-root.js";
export type { Category, Detection, Detector, DetectorContext } from "./detector.js";
export { DETECTORS } from "./detectors/index.js";
export { REPLACEMENTS } from "./replacements.js";
export type { Replacement } from "./replacements.js";
export { findClones } from "./clones.js";
export { tokenize } from "./tokenize.js";
export type { TokenizedSource } from "./tokenize.js";
export { DETECTOR_CATALOG } from "./detector-catalog.js";
export type { DetectorInfo } from "./detector-catalog.js";
export type { CloneClass, CloneInstance, CloneOptions, TokenStream } from "./clones.js";
export { renderReport } from "./reports/render-report.js";
export type { RenderOptions, ReportFormat } from "./reports/render-report.js";
export { run } from "./cli.js";
export { planFixes } from "./fix/fix-plan.js";
export type { FixOptions, FixPlan, FixTotals } from "./fix/fix-plan.js";
export { FIXABLE_KINDS } from "./fix/fixable-kinds.js";
export type { FileFix, PlannedFix, RefusedFix, RewrittenFix } from "./fix/plan-findings.js";
export { applyFixes } from "./fix/apply-fixes.js";
export type {
  ApplyFixesOptions,
  ApplyFixesResult,
  RolledBackFile,
  TestRun,
} from "./fix/apply-fixes.js";
export { renderFixPlan, renderFixResult } from "./fix/fix-command.js";
