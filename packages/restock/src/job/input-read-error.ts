import { JobError } from "./job-error.js";
import { EXIT_FAILURE } from "./exit-codes.js";
import { describeFsError, errorCode } from "./describe-fs-error.js";
import { mountHint } from "./mount-hint.js";

/** `cannot read input file /app/data/x.json: no such file. Mount a folder ...` (the hint only for ENOENT). */
export function inputReadError(path: string, error: unknown): JobError {
  const hint = errorCode(error) === "ENOENT" ? `. ${mountHint(path, "input")}` : "";
  return new JobError(EXIT_FAILURE, `cannot read input file ${path}: ${describeFsError(error)}${hint}`);
}
