import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { CsvError, parse } from "csv-parse";
import type { InventoryItem } from "../inventory.js";
import { isDecimalText, parseInventoryItem } from "../inventory.js";
import { EXIT_FAILURE, itemSourceError, JobError } from "./errors.js";

/** The columns a CSV input must have, each once, in any order. */
export const CSV_COLUMNS = ["item", "stock", "sales"] as const;
type Column = (typeof CSV_COLUMNS)[number];
type ColumnIndex = Readonly<Record<Column, number>>;

/** What csv-parse yields with `info: true`. */
interface CsvRow {
  record: string[];
  info: { lines: number };
}

/**
 * Streams CSV with the header `item,stock,sales` (RFC 4180 quoting; LF or CRLF; a leading BOM
 * and blank lines skipped). Each row becomes `{ item, stock, sales }` and is validated like an
 * element of a JSON array: numeric cells become numbers, an empty cell counts as missing, any
 * other text is kept so the message shows it. Errors are JobErrors naming the file and the line:
 * `in.csv: line 3 ("Gadget"): stock must be a number >= 0 (got "five")`,
 * `in.csv: line 1: the header must be item,stock,sales (got "item,stock,sold": missing sales, unexpected sold)`,
 * `in.csv is not valid CSV: Invalid Record Length: expect 3, got 2 on line 4`.
 * Items come in batches of `batchSize` (the last shorter), filled inline: an await per item was
 * the largest cost in the benchmark.
 */
export async function* readCsvItems(input: Readable, path: string, batchSize: number): AsyncGenerator<InventoryItem[]> {
  // pipeline, unlike pipe, passes a read error on to the parser, so the loop below sees it.
  const rows = pipeline(input, parse({ bom: true, info: true, skip_empty_lines: true }), () => undefined);
  let columns: ColumnIndex | undefined;
  let batch: InventoryItem[] = [];
  try {
    for await (const { record, info } of rows as AsyncIterable<CsvRow>) {
      if (columns === undefined) {
        columns = columnIndex(record, path, info.lines);
        continue;
      }
      const data = {
        item: record[columns.item],
        stock: numericCell(record[columns.stock]),
        sales: numericCell(record[columns.sales]),
      };
      if (batch.push(parseInventoryItem(data, `line ${info.lines}`)) === batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    if (err instanceof CsvError) throw new JobError(EXIT_FAILURE, `${path} is not valid CSV: ${err.message}`);
    throw itemSourceError(path, err);
  } finally {
    rows.destroy();
  }
  if (columns === undefined) {
    throw new JobError(
      EXIT_FAILURE,
      `${path}: the file is empty; a CSV input starts with the header ${CSV_COLUMNS.join(",")}`,
    );
  }
  if (batch.length > 0) yield batch;
}

/** Where each column is, from the header row; anything but exactly item, stock and sales throws. */
function columnIndex(header: readonly string[], path: string, line: number): ColumnIndex {
  const names = header.map((name) => name.trim());
  const expected: readonly string[] = CSV_COLUMNS;
  const missing = CSV_COLUMNS.filter((column) => !names.includes(column));
  const unexpected = names.filter((name, position) => !expected.includes(name) || names.indexOf(name) !== position);
  if (missing.length > 0 || unexpected.length > 0) {
    const problems = [
      missing.length > 0 ? `missing ${missing.join(", ")}` : undefined,
      unexpected.length > 0
        ? `unexpected ${unexpected.map((name) => (name === "" ? '""' : name)).join(", ")}`
        : undefined,
    ].filter((problem) => problem !== undefined);
    const got = `${JSON.stringify(header.join(","))}: ${problems.join("; ")}`;
    throw new JobError(
      EXIT_FAILURE,
      `${path}: line ${line}: the header must be ${CSV_COLUMNS.join(",")}, in any order (got ${got})`,
    );
  }
  return { item: names.indexOf("item"), stock: names.indexOf("stock"), sales: names.indexOf("sales") };
}

/** A number for numeric text, undefined for an empty cell ("is required"), else the text itself. */
function numericCell(cell: string | undefined): unknown {
  if (cell === undefined || cell.trim() === "") return undefined;
  return isDecimalText(cell) ? Number(cell) : cell;
}
