export { loadConfig, validateConfig } from "./arch-config.js";
export type {
  ArchConfig,
  CycleRule,
  ElementConfig,
  ForbiddenRule,
  OwnerRule,
  PublicApiRule,
} from "./arch-config.js";
export { checkArchitecture } from "./check-architecture.js";
export type {
  ArchReport,
  CheckOptions,
  CheckStats,
  CheckedFile,
  ElementEdge,
  ElementSummary,
  ResolvedImport,
} from "./check-architecture.js";
export { findCycles } from "./graph.js";
export type { Cycle } from "./graph.js";
export { extractImports } from "./imports.js";
export type { ImportRef } from "./imports.js";
export { loadWorkspace } from "./workspace.js";
export type { Workspace, WorkspacePackage } from "./workspace.js";
export { mermaidGraph, projectStructure } from "./project-structure.js";
export { run } from "./cli.js";
export { ModuleResolver, packageOf } from "./module-resolver.js";
export type { ImportKind, Resolution } from "./module-resolver.js";
export { loadTsSettings } from "./tsconfig.js";
export type { ModuleResolutionKind, PathAlias, TsSettings, TsconfigProblem } from "./tsconfig.js";
