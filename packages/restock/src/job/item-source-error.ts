import { InventoryError } from "../inventory-error.js";
import { JobError } from "./job-error.js";
import { EXIT_FAILURE } from "./exit-codes.js";
import { errorCode } from "./describe-fs-error.js";
import { inputReadError } from "./input-read-error.js";

/**
 * Any failure while streaming items from `path`, as the JobError the job reports: an invalid item
 * (`path: line 3 ("Gadget"): sales must be ...`) or a read error (`cannot read input file path: ...`).
 * Nothing with an errno `code` may escape a reader: the writer would take it for its own failure.
 */
export function itemSourceError(path: string, error: unknown): unknown {
  if (error instanceof JobError) return error;
  if (error instanceof InventoryError) return new JobError(EXIT_FAILURE, `${path}: ${error.message}`);
  if (errorCode(error) !== undefined) return inputReadError(path, error);
  return error;
}
