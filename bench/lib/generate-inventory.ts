import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

export type InventoryFormat = "json" | "ndjson" | "csv";

interface Item {
  item: string;
  stock: number;
  sales: number;
}

/** Items per string handed to the file stream: big enough to be fast, small enough to stay flat. */
const LINES_PER_CHUNK = 10_000;

/**
 * The same `count` items for a given seed, one at a time. Names have no commas or quotes (so the
 * CSV needs no quoting) but some are non-ASCII; stock and sales are whole numbers, and one sale
 * in five has a tenth (12.5), so the comparison with Python covers fractional arithmetic too.
 */
export function* inventoryItems(count: number, seed: number): Generator<Item> {
  const rng = xoroshiro128plus(seed);
  for (let index = 0; index < count; index += 1) {
    const name = index % 7 === 0 ? `Gerät ${index}` : `Item ${index}`;
    const stock = uniformInt(rng, 0, 500);
    const wholeSales = uniformInt(rng, 0, 300);
    const sales = uniformInt(rng, 0, 4) === 0 ? wholeSales + uniformInt(rng, 1, 9) / 10 : wholeSales;
    yield { item: name, stock, sales };
  }
}

function* inventoryText(count: number, seed: number, format: InventoryFormat): Generator<string> {
  const line =
    format === "csv"
      ? (item: Item) => `${item.item},${item.stock},${item.sales}`
      : (item: Item) => JSON.stringify(item);
  const separator = format === "json" ? ",\n" : "\n";
  if (format === "json") yield "[\n";
  if (format === "csv") yield "item,stock,sales\n";
  let lines: string[] = [];
  let first = true;
  for (const item of inventoryItems(count, seed)) {
    lines.push(line(item));
    if (lines.length === LINES_PER_CHUNK) {
      yield `${first ? "" : separator}${lines.join(separator)}`;
      first = false;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${first ? "" : separator}${lines.join(separator)}`;
  yield format === "json" ? "\n]\n" : "\n";
}

/** Writes `count` seeded items to `path` as a JSON array, NDJSON or CSV, streaming; returns its size in bytes. */
export async function writeInventoryFile(
  path: string,
  count: number,
  format: InventoryFormat,
  seed: number,
): Promise<number> {
  await pipeline(Readable.from(inventoryText(count, seed, format)), createWriteStream(path));
  return (await stat(path)).size;
}
