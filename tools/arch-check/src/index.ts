export { loadConfig, validateConfig } from "./arch-config.js";
export type {
  ArchConfig,
  CycleRule,
  ElementConfig,
  ExceptionRule,
  ForbiddenRule,
  OptionalImportRule,
  OwnerRule,
  PublicApiRule,
  TypeOnlyPolicy,
} from "./arch-config.js";
export type {
  ArchReport,
  CheckStats,
  CheckedFile,
  ElementEdge,
  ElementSummary,
  OptionalImport,
  ResolvedImport,
  SkippedFile,
  SuppressedFinding,
  UnresolvedImport,
} from "./arch-report.js";
export { checkArchitecture } from "./check-architecture.js";
export type { CheckOptions } from "./check-architecture.js";
export { feedbackArcSet, greedyCutSize } from "./feedback-arc-set.js";
export type { CutEdge, FeedbackArcSet } from "./feedback-arc-set.js";
export { findCycles } from "./graph.js";
export type { Cycle } from "./graph.js";
export { examineSource, extractFacts, extractImports } from "./imports.js";
export type { FileFacts, ImportRef, SkippedSource, SourceOutcome, Suppression } from "./imports.js";
export { ModuleResolver, packageOf } from "./module-resolver.js";
export type { ImportKind, PackageSpecifier, Resolution } from "./module-resolver.js";
export { loadWorkspace } from "./workspace.js";
export type { Workspace, WorkspacePackage } from "./workspace.js";
export { loadTsSettings } from "./tsconfig.js";
export type {
  LoadedTsSettings,
  ModuleResolutionKind,
  PathAlias,
  TsSettings,
  TsconfigProblem,
} from "./tsconfig.js";
export { mermaidGraph, projectStructure } from "./project-structure.js";
export { run } from "./cli.js";
