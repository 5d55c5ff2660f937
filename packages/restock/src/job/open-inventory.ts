import { open } from "node:fs/promises";
import type { InventoryItem } from "../types.js";
import type { InputFormat } from "./input-format.js";
import { inputReadError } from "./input-read-error.js";
import { readInventoryFile } from "./read-inventory-file.js";
import { readNdjsonItems } from "./read-ndjson-items.js";
import { readCsvItems } from "./read-csv-items.js";
import { batchesOf } from "./batches.js";
import type { Batches } from "./batches.js";

/** An opened input: its valid items, and `close()`, to be called whatever happened. */
export type InventorySource = {
  /** A JSON array is read and validated whole; NDJSON and CSV are streamed, validated item by item. */
  batches: Batches<InventoryItem>;
  close(): Promise<void>;
};

/**
 * Opens the input in its format. A file that cannot be opened fails here, before any output is
 * touched (`cannot read input file ...`); for a JSON array so does any invalid content. For the
 * streamed formats a bad line surfaces while iterating `batches`, as a JobError naming the line.
 */
export async function openInventory(path: string, format: InputFormat): Promise<InventorySource> {
  if (format === "json") return { batches: batchesOf(await readInventoryFile(path)), close: async () => undefined };

  const handle = await open(path, "r").catch((error: unknown) => {
    throw inputReadError(path, error);
  });
  const input = handle.createReadStream({ autoClose: false, highWaterMark: 1 << 16 });
  return {
    batches: format === "csv" ? readCsvItems(input, path) : readNdjsonItems(input, path),
    async close() {
      input.destroy();
      await handle.close();
    },
  };
}
