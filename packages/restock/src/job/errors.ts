import { basename, dirname } from "node:path";
import { InventoryError } from "../inventory.js";

/** Exit codes of the restock job. */
export const EXIT_OK = 0;
/** The input could not be read or is invalid, or the output could not be written. */
export const EXIT_FAILURE = 1;
/** A bad flag or environment variable. */
export const EXIT_USAGE = 2;
/** Interrupted while writing: 128 + signal number. */
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

/** A failure the job reports as one stderr line and an exit code. */
export class JobError extends Error {
  override readonly name = "JobError";
  readonly exitCode: number;

  constructor(exitCode: number, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** An error's message on one line (JSON.parse and parseArgs messages may span several). */
export function oneLineMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s+/g, " ").trim();
}

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "a parent is not a directory",
  ENOSPC: "no space left on device",
  EROFS: "read-only file system",
  EXDEV: "cannot rename across file systems",
};

/** The errno code of a Node fs error (or parseArgs's ERR_ code), if it has one. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null || !("code" in err)) return undefined;
  return typeof err.code === "string" ? err.code : undefined;
}

/** A short reason for an fs error: "no such file", "permission denied", or the error's own message. */
export function describeFsError(err: unknown): string {
  const code = errorCode(err);
  const known = code === undefined ? undefined : FS_REASONS[code];
  if (known !== undefined) return known;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The usual cause of a missing file or folder in Docker is a missing bind
 * mount: says which folder to mount where, for the path that was missing.
 */
export function mountHint(path: string, role: "input" | "output"): string {
  const folder = dirname(path);
  const what =
    role === "input"
      ? `a folder holding ${basename(path)} at ${folder}`
      : `a folder at ${folder} to write ${basename(path)} into`;
  return `Mount ${what}, e.g. docker run -v "$PWD/data:${folder}" ...`;
}

/** `cannot read input file /app/data/x.json: no such file. Mount a folder ...` (the hint only for ENOENT). */
export function inputReadError(path: string, err: unknown): JobError {
  const hint = errorCode(err) === "ENOENT" ? `. ${mountHint(path, "input")}` : "";
  return new JobError(EXIT_FAILURE, `cannot read input file ${path}: ${describeFsError(err)}${hint}`);
}

/**
 * Any failure while reading items from `path`, as the JobError the job reports: an invalid item
 * (`path: line 3 ("Gadget"): sales must be ...`) or a read error (`cannot read input file path: ...`).
 * Nothing with an errno `code` may escape a reader: the writer would take it for its own failure.
 */
export function itemSourceError(path: string, err: unknown): unknown {
  if (err instanceof JobError) return err;
  if (err instanceof InventoryError) return new JobError(EXIT_FAILURE, `${path}: ${err.message}`);
  if (errorCode(err) !== undefined) return inputReadError(path, err);
  return err;
}
