/**
 * The job's input: the file opened in its format and turned into batches of valid items.
 * A JSON array (read-json.ts) is read whole and parsed in slices; NDJSON (here) and CSV (read-csv.ts) are streamed.
 */
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { Batches, InventoryItem } from "../inventory.js";
import { parseInventoryItem } from "../inventory.js";
import type { InputFormat } from "./config.js";
import { EXIT_FAILURE, inputReadError, itemSourceError, JobError, oneLineMessage } from "./errors.js";
import { readJsonItems } from "./read-json.js";

/**
 * How many items of a streamed input travel together between reading, planning and writing (a
 * JSON array travels in its slices, read-json.ts). One await, one array and one JSON.stringify per
 * batch instead of per item: several times faster and far less garbage (so a flat, small heap)
 * than item by item, and about 70 KB of output per batch. 128 measured the same, 2,048 20 MB more RSS.
 */
export const BATCH_SIZE = 512;

/** An opened input: its valid items, and `close()`, to be called whatever happened. */
export interface InventorySource {
  /** Valid items, in batches: a bad item or line surfaces as a JobError while iterating. */
  batches: Batches<InventoryItem>;
  close(): Promise<void>;
}

/**
 * Opens the input in its format. A file that cannot be opened fails here, before any output is
 * touched (`cannot read input file ...`), and so does a JSON file that is not an array. Anything
 * else wrong (a bad item, text that is not JSON, a bad line) surfaces while iterating `batches`,
 * as a JobError naming the item or line.
 */
export async function openInventory(path: string, format: InputFormat): Promise<InventorySource> {
  if (format === "json") {
    return { batches: await readJsonItems(path), close: async () => undefined };
  }

  // csv-parse is loaded for CSV only: 15 ms and 6 MB of RSS the other formats need not pay.
  const readItems = format === "csv" ? (await import("./read-csv.js")).readCsvItems : readNdjsonItems;
  const handle = await open(path, "r").catch((err: unknown) => {
    throw inputReadError(path, err);
  });
  const input = handle.createReadStream({ autoClose: false, highWaterMark: 1 << 16 });
  return {
    batches: readItems(input, path, BATCH_SIZE),
    async close() {
      input.destroy();
      await handle.close();
    },
  };
}

/**
 * Streams NDJSON: one JSON object per line, each validated like an element of a JSON array.
 * LF and CRLF line ends both work; a leading BOM and blank lines are skipped (but counted, so
 * line numbers match an editor's). The first bad line throws a JobError naming the file and the
 * line: `in.ndjson: line 3 ("Gadget"): sales must be a number >= 0 (got -4)`, or
 * `in.ndjson: line 2 is not valid JSON: ...`. Items come in batches of `batchSize` (the last
 * shorter), filled inline: an await per item was the largest cost in the benchmark.
 */
export async function* readNdjsonItems(
  input: Readable,
  path: string,
  batchSize: number,
): AsyncGenerator<InventoryItem[]> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let batch: InventoryItem[] = [];
  try {
    for await (const line of lines) {
      lineNumber += 1;
      const text = lineNumber === 1 ? line.replace(/^\uFEFF/, "") : line;
      if (text.trim() === "") continue;
      if (batch.push(parseInventoryItem(parseLine(text, path, lineNumber), `line ${lineNumber}`)) === batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    throw itemSourceError(path, err);
  } finally {
    lines.close();
  }
  if (batch.length > 0) yield batch;
}

function parseLine(text: string, path: string, lineNumber: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new JobError(EXIT_FAILURE, `${path}: line ${lineNumber} is not valid JSON: ${oneLineMessage(err)}`);
  }
}
