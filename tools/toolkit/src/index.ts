export { fingerprint, sortFindings } from "./finding.js";
export type { Finding, Location, RuleDescriptor, Severity } from "./finding.js";
export { toSarif } from "./sarif.js";
export type { SarifLog, SarifTool } from "./sarif.js";
export { classifyFile, walkFiles } from "./file-walker.js";
export type { FileKind, WalkOptions, WalkResult, WalkedFile } from "./file-walker.js";
export { describeTooLarge } from "./skipped-file.js";
export type { SkipCode, SkipReason, SkippedFile } from "./skipped-file.js";
export { inspectSource } from "./inspect-source.js";
export type { InspectSourceOptions, InspectedSource } from "./inspect-source.js";
export {
  EXIT,
  emit,
  memoryIo,
  oneOf,
  parseFlags,
  processIo,
  progress,
  useColor,
  withErrorBoundary,
} from "./cli.js";
export type { CliIo, ExitCodes, MemoryIo, Progress, TextSink } from "./cli.js";
