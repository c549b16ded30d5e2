/** A Node file-system error: its code (`ENOENT`, `EISDIR`, …) and the path it concerns. */
export interface FileSystemError extends Error {
  /** The error code, e.g. `EACCES`. */
  readonly code: string;
  /** The path the operation was given. */
  readonly path: string;
  /** The operation, e.g. `open`. */
  readonly syscall?: string;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or folder",
  EISDIR: "it is a folder, not a file",
  ENOTDIR: "a part of the path is a file, not a folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many levels of symbolic links",
  EEXIST: "it already exists",
};

/**
 * Whether `error` is a Node file-system error naming a path (a usage problem: the path is wrong,
 * not the program).
 * @param error - anything thrown
 * @returns true for errors such as `ENOENT` or `EACCES` with a `path`
 */
export function isFileSystemError(error: unknown): error is FileSystemError {
  if (!(error instanceof Error)) return false;
  const { code, path } = error as Partial<FileSystemError>;
  return typeof code === "string" && code in REASONS && typeof path === "string";
}

/**
 * The plain reason of a file-system error.
 * @param error - the error
 * @returns e.g. "it is a folder, not a file"
 */
export function fileErrorReason(error: FileSystemError): string {
  // Creating folders through a file fails with EEXIST.
  if (error.code === "EEXIST" && error.syscall === "mkdir") return REASONS["ENOTDIR"] as string;
  return REASONS[error.code] ?? error.code;
}
