/**
 * The job's output: items planned into records batch by batch (planRecords), formatted as one JSON
 * array chunk by chunk (formatRecordChunks) and written atomically (writeOutput), all streamed.
 */
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { InventoryItem, PlanRestockOptions, RestockRecord } from "../rule.js";
import { createRestockPlanner } from "../rule.js";
import type { SignalSource } from "./atomic-write.js";
import { writeFileAtomic } from "./atomic-write.js";
import { describeFsError, EXIT_FAILURE, errorCode, JobError, mountHint } from "./errors.js";
import type { Batches } from "./read-input.js";

/** How many records were planned, and how many of them need restocking. */
export interface RestockTally {
  total: number;
  restocking: number;
}

/**
 * The records for batches of items as they arrive, batch for batch, counted into `tally` on the
 * way, so a stream of any length is planned in constant memory. Plain batches give plain batches
 * (no await at all), async ones async ones. Options are checked at once (RangeError).
 */
export function planRecords(
  batches: Batches<InventoryItem>,
  options: PlanRestockOptions,
): { records: Batches<RestockRecord>; tally: Readonly<RestockTally> } {
  const plan = createRestockPlanner(options);
  const tally: RestockTally = { total: 0, restocking: 0 };
  const planBatch = (items: readonly InventoryItem[]): RestockRecord[] => {
    tally.total += items.length;
    return items.map((item) => {
      const record = plan(item);
      if (record.restock) tally.restocking += 1;
      return record;
    });
  };
  const records = Symbol.iterator in batches ? mapEach(batches, planBatch) : mapEachAsync(batches, planBatch);
  return { records, tally };
}

function* mapEach<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

async function* mapEachAsync<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}

/**
 * Writes the records atomically, as a JSON array (2-space indent, trailing newline), streamed:
 * records are formatted and written as they arrive, so a stream of items never sits in memory.
 * An error from the records (a bad input line) abandons the write and passes through unchanged.
 * The output folder must already exist, and is checked before the first record is pulled (so
 * before a streamed input is read): creating it would hide a missing Docker bind mount (the file
 * would vanish with the container), so a missing folder is an error naming it. Failures become
 * JobErrors; a WriteInterruptedError passes through.
 */
export async function writeOutput(
  path: string,
  records: Batches<RestockRecord>,
  signals?: SignalSource,
): Promise<void> {
  await requireDirectory(dirname(path), path);
  try {
    await writeFileAtomic(path, formatRecordChunks(records), { signals });
  } catch (err) {
    if (errorCode(err) === undefined) throw err;
    throw new JobError(EXIT_FAILURE, `cannot write output file ${path}: ${describeFsError(err)}`);
  }
}

async function requireDirectory(directory: string, path: string): Promise<void> {
  try {
    const info = await stat(directory);
    if (info.isDirectory()) return;
    throw new JobError(EXIT_FAILURE, `cannot write output file ${path}: ${directory} is not a directory`);
  } catch (err) {
    if (err instanceof JobError) throw err;
    if (errorCode(err) === "ENOENT") {
      throw new JobError(EXIT_FAILURE, `output directory ${directory} does not exist. ${mountHint(path, "output")}`);
    }
    throw new JobError(EXIT_FAILURE, `cannot write output file ${path}: ${describeFsError(err)}`);
  }
}

/**
 * The output file's content, one chunk per batch of records as they arrive: byte for byte
 * `JSON.stringify(records, null, 2) + "\n"` (2-space indent, trailing newline; `[]` when empty),
 * without ever holding the whole text or all the records.
 *
 * Each batch is stringified as an array by JSON.stringify itself, its brackets cut off: the same
 * bytes as the whole array's middle, at a third of the cost of stringifying record by record and
 * re-indenting. Plain batches are walked without an await.
 */
export async function* formatRecordChunks(batches: Batches<RestockRecord>): AsyncGenerator<string> {
  let started = false;
  const format = (batch: readonly RestockRecord[]): string => {
    // "[\n  {...},\n  {...}\n]" -> "  {...},\n  {...}", joined to the text before it.
    const middle = JSON.stringify(batch, null, 2).slice(2, -2);
    const chunk = `${started ? ",\n" : "[\n"}${middle}`;
    started = true;
    return chunk;
  };

  if (Symbol.iterator in batches) {
    for (const batch of batches) if (batch.length > 0) yield format(batch);
  } else {
    for await (const batch of batches) if (batch.length > 0) yield format(batch);
  }
  yield started ? "\n]\n" : "[]\n";
}
