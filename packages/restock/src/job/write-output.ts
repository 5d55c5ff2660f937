import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { RestockRecord } from "../types.js";
import type { Batches } from "./batches.js";
import { JobError } from "./job-error.js";
import { EXIT_FAILURE } from "./exit-codes.js";
import { describeFsError, errorCode } from "./describe-fs-error.js";
import { mountHint } from "./mount-hint.js";
import { writeFileAtomic } from "./atomic-write.js";
import { formatRecordChunks } from "./format-records.js";
import type { SignalSource } from "./signals.js";

/**
 * Writes the records atomically, as a JSON array (2-space indent, trailing newline), streamed:
 * records are formatted and written as they arrive, so a stream of items never sits in memory.
 * An error from the records (a bad input line) abandons the write and passes through unchanged. The output folder must already exist: creating it would hide a
 * missing Docker bind mount (the file would vanish with the container), so a missing folder is an
 * error naming it. Failures become JobErrors; a WriteInterruptedError passes through.
 */
export async function writeOutput(
  path: string,
  records: Batches<RestockRecord>,
  signals?: SignalSource,
): Promise<void> {
  await requireDirectory(dirname(path), path);
  try {
    await writeFileAtomic(path, formatRecordChunks(records), { signals });
  } catch (error) {
    if (errorCode(error) === undefined) throw error;
    throw new JobError(EXIT_FAILURE, `cannot write output file ${path}: ${describeFsError(error)}`);
  }
}

async function requireDirectory(directory: string, path: string): Promise<void> {
  try {
    const info = await stat(directory);
    if (info.isDirectory()) return;
    throw new JobError(EXIT_FAILURE, `cannot write output file ${path}: ${directory} is not a directory`);
  } catch (error) {
    if (error instanceof JobError) throw error;
    if (errorCode(error) === "ENOENT") {
      throw new JobError(EXIT_FAILURE, `output directory ${directory} does not exist. ${mountHint(path, "output")}`);
    }
    throw new JobError(EXIT_FAILURE, `cannot write output file ${path}: ${describeFsError(error)}`);
  }
}
