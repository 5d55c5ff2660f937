import type { RestockRecord } from "../types.js";
import type { Batches } from "./batches.js";

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
