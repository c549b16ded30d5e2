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
export { EXIT, memoryIo, oneOf, processIo, progress, withErrorBoundary } from "./cli.js";
export { runBin, startBin } from "./bin-process.js";
export type { BinOptions, BinResult, RunningBin } from "./bin-process.js";
export type { CliIo, ExitCodes, MemoryIo, Progress, TextSink } from "./cli.js";
export { defineCommand, runCli } from "./command-line.js";
export type {
  BooleanFlag,
  CliSpec,
  Command,
  CommandSpec,
  FlagSpec,
  FlagTable,
  FlagValue,
  FlagValues,
  ParsedArgs,
  StringFlag,
} from "./command-line.js";
export { didYouMean } from "./did-you-mean.js";
export { emit, outputFlags } from "./output-file.js";
export type { EmitOptions, OutputFlags } from "./output-file.js";
export { fileErrorReason, isFileSystemError } from "./file-system-error.js";
export type { FileSystemError } from "./file-system-error.js";
export { packageVersion } from "./package-version.js";
export { colorEnabled, painter, plain } from "./paint.js";
export type { Paint, Tone } from "./paint.js";
