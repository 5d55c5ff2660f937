/**
 * The job's output: items planned into records batch by batch (planRecords), formatted as one JSON
 * array chunk by chunk (formatRecordChunks) and written atomically (writeOutput), all streamed.
 */
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { Batches, InventoryItem } from "../inventory.js";
import type { PlanRestockOptions, RestockRecord } from "../rule.js";
import { createRestockPlanner } from "../rule.js";
import type { SignalSource } from "./atomic-write.js";
import { writeFileAtomic } from "./atomic-write.js";
import { describeFsError, EXIT_FAILURE, errorCode, JobError, mountHint } from "./errors.js";

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
 * without ever holding the whole text or all the records. Plain batches are walked without an await.
 */
export async function* formatRecordChunks(batches: Batches<RestockRecord>): AsyncGenerator<string> {
  let started = false;
  const format = (batch: readonly RestockRecord[]): string => {
    const chunk = `${started ? ",\n" : "[\n"}${formatRecords(batch)}`;
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

/**
 * The middle of `JSON.stringify(records, null, 2)`: the records as that array's elements, joined by
 * `,\n`, without the brackets. Written out field by field, as a RestockRecord always has the same
 * keys in the same order (rule.ts builds every one): JSON.stringify with an indent takes V8's slow
 * path, and this measured twice as fast. Each record's text is joined once per batch: appending
 * to one string (a rope) measured slower and 20 MB more RSS. Strings still go through
 * JSON.stringify, so escaping is its own; unit tests compare the two over awkward values (escapes,
 * lone surrogates, -0, 1e21, Infinity) and over what both rules plan.
 */
export function formatRecords(records: readonly RestockRecord[]): string {
  return records.map(formatRecord).join(",\n");
}

function formatRecord(r: RestockRecord): string {
  return (
    `  {\n    "item": ${JSON.stringify(r.item)},\n    "current_stock": ${jsonNumber(r.current_stock)},\n` +
    `    "recent_sales": ${jsonNumber(r.recent_sales)},\n    "restock": ${r.restock},\n` +
    `    "recommended_order": ${jsonNumber(r.recommended_order)}` +
    `${r.forecast_sales === undefined ? "" : `,\n    "forecast_sales": ${jsonNumber(r.forecast_sales)}`}\n  }`
  );
}

/** A number as JSON.stringify writes it: its shortest form, and `null` for NaN and the infinities. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : "null";
}
