const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "a parent is not a directory",
  ENOSPC: "no space left on device",
  EROFS: "read-only file system",
  EXDEV: "cannot rename across file systems",
};

/** The errno code of a Node fs error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** A short reason for an fs error: "no such file", "permission denied", or the error's own message. */
export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  const known = code === undefined ? undefined : REASONS[code];
  if (known !== undefined) return known;
  return error instanceof Error ? error.message : String(error);
}
