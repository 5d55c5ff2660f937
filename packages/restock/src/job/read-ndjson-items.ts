import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { parseInventoryItem } from "../parse-inventory-item.js";
import type { InventoryItem } from "../types.js";
import { JobError } from "./job-error.js";
import { EXIT_FAILURE } from "./exit-codes.js";
import { itemSourceError } from "./item-source-error.js";
import { BATCH_SIZE } from "./batches.js";

/**
 * Streams NDJSON: one JSON object per line, each validated like an element of a JSON array.
 * LF and CRLF line ends both work; a leading BOM and blank lines are skipped (but counted, so
 * line numbers match an editor's). The first bad line throws a JobError naming the file and the
 * line: `in.ndjson: line 3 ("Gadget"): sales must be a number >= 0 (got -4)`, or
 * `in.ndjson: line 2 is not valid JSON: ...`. Items come in batches of BATCH_SIZE (the last shorter).
 */
export async function* readNdjsonItems(input: Readable, path: string): AsyncGenerator<InventoryItem[]> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let batch: InventoryItem[] = [];
  try {
    for await (const line of lines) {
      lineNumber += 1;
      const text = lineNumber === 1 ? line.replace(/^\uFEFF/, "") : line;
      if (text.trim() === "") continue;
      if (batch.push(parseInventoryItem(parseLine(text, path, lineNumber), `line ${lineNumber}`)) === BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    throw itemSourceError(path, error);
  } finally {
    lines.close();
  }
  if (batch.length > 0) yield batch;
}

function parseLine(text: string, path: string, lineNumber: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JobError(EXIT_FAILURE, `${path}: line ${lineNumber} is not valid JSON: ${reason.replace(/\s+/g, " ").trim()}`);
  }
}
