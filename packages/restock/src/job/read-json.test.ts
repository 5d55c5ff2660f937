import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import type { InventoryItem } from "../inventory.js";
import { parseInventory } from "../inventory.js";
import { JobError } from "./errors.js";
import { readJsonItems } from "./read-json.js";

/** `text` (or bytes) as a file in a fresh folder, removed when the test ends. */
async function inputFile(content: string | Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "restock-read-json-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "input.json");
  await writeFile(path, content);
  return path;
}

/** Tiny slices, so a few items cross many slice boundaries. */
const SMALL_SLICES = 40;

async function readAll(path: string, sliceBytes = SMALL_SLICES): Promise<{ items: InventoryItem[]; batches: number }> {
  const items: InventoryItem[] = [];
  let batches = 0;
  for (const batch of await readJsonItems(path, sliceBytes)) {
    items.push(...batch);
    batches += 1;
  }
  return { items, batches };
}

/** What the job said before slicing, for any text: JSON.parse and parseInventory of it whole. */
function wholeTextOutcome(path: string, text: string): InventoryItem[] | JobError {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    return new JobError(1, `${path} is not valid JSON: ${(err as Error).message.replace(/\s+/g, " ").trim()}`);
  }
  try {
    return parseInventory(data);
  } catch (err) {
    return new JobError(1, `${path}: ${(err as Error).message}`);
  }
}

async function outcome(path: string): Promise<InventoryItem[] | JobError> {
  try {
    return (await readAll(path)).items;
  } catch (err) {
    if (err instanceof JobError) return err;
    throw err;
  }
}

const ITEMS = Array.from({ length: 20 }, (_, index) => ({
  item: index % 3 === 0 ? ` Gerät ${index} ` : `Item ${index}`,
  stock: index,
  sales: index % 4 === 0 ? index + 0.5 : index,
  ...(index % 5 === 0 ? { sales_history: [1, 2, index] } : {}),
  ...(index % 7 === 0 ? { colour: "red" } : {}),
}));

describe("readJsonItems", () => {
  it.each([
    ["compact", JSON.stringify(ITEMS)],
    ["indented, with a BOM and a final newline", `\uFEFF${JSON.stringify(ITEMS, null, 2)}\n`],
    ["with CRLF and tabs around the array", `\r\n\t${JSON.stringify(ITEMS, null, "\t").replaceAll("\n", "\r\n")}\r\n`],
  ])("reads a %s array, in slices, as parseInventory reads it whole", async (_, text) => {
    const path = await inputFile(text);

    const { items, batches } = await readAll(path);

    expect(items).toEqual(parseInventory(ITEMS));
    expect(batches).toBeGreaterThan(3);
  });

  it("one slice holds about the bytes asked for", async () => {
    const path = await inputFile(JSON.stringify(ITEMS));

    expect((await readAll(path, 1 << 20)).batches).toBe(1);
    expect((await readAll(path, 1)).batches).toBe(ITEMS.length);
  });

  // Names long enough that a cut searched for 40 bytes into an item lands inside the name.
  const long = "x".repeat(SMALL_SLICES);
  it.each([
    [
      "names holding `},` and brackets",
      ITEMS.map((item, index) => ({ ...item, item: `${long} {${index}}, "big" [x]` })),
    ],
    ["nested objects", ITEMS.map((item) => ({ ...item, meta: { long, size: { w: 1 }, tags: [{ a: 1 }, { b: 2 }] } }))],
    ["escaped quotes and backslashes", ITEMS.map((item) => ({ ...item, item: `${long} \\"},{\\" ${item.item}\\` }))],
    [
      "one escaped quote",
      ITEMS.map((item, index) => ({ ...item, item: `${long} {${index}}, ${index === 3 ? '5" ' : ""}wide` })),
    ],
  ])("a file with %s, where a quick cut can land inside an item, gives the same items", async (_, data) => {
    const path = await inputFile(JSON.stringify(data));

    const { items, batches } = await readAll(path);

    expect(items).toEqual(parseInventory(data));
    expect(batches).toBeGreaterThan(3); // sliced, not read whole
  });

  it.each(["[]", "[ ]\n", "\uFEFF[\r\n]"])("an empty array (%j) is no items", async (text) => {
    expect((await readAll(await inputFile(text))).items).toEqual([]);
  });

  const compact = JSON.stringify(ITEMS);
  it.each([
    ["empty", ""],
    ["not an array", '{"item":"Widget","stock":1,"sales":2}'],
    ["a trailing comma", `${compact.slice(0, -1)},]`],
    ["a missing comma", compact.replace('},{"item":"Item 5"', '}{"item":"Item 5"')],
    ["two commas", compact.replace('},{"item":"Item 5"', '},,{"item":"Item 5"')],
    ["unclosed", compact.slice(0, -1)],
    ["text after the array", `${compact} x`],
    ["a second array", `${compact}[]`],
    ["two BOMs", `\uFEFF\uFEFF${compact}`],
    ["a bad item late in the file", compact.replace('"stock":17', '"stock":-17')],
    ["several bad items", compact.replace('"stock":3', '"stock":"3"').replace('"sales":19', '"sales":null')],
    ["a bad sales_history", compact.replace("[1,2,15]", "[1,-2,15]")],
    ["an item that is not an object", compact.replace(/\{"item":"Item 8"[^}]*\}/, "[8]")],
    ["a number", "42"],
    ["an unterminated string", compact.replace('"Item 11"', '"Item 11')],
  ])("a file with %s fails exactly as the whole text did", async (_, text) => {
    const path = await inputFile(text);
    const expected = wholeTextOutcome(path, text);

    expect(expected).toBeInstanceOf(JobError);
    expect(await outcome(path)).toEqual(expected);
  });

  it("invalid UTF-8 reads as the whole text did", async () => {
    const bytes = Buffer.concat([
      Buffer.from('[{"item":"A\xff'),
      Buffer.from([0xe2, 0x82]),
      Buffer.from('","stock":1,"sales":2}]'),
    ]);
    const path = await inputFile(bytes);

    expect(await outcome(path)).toEqual(wholeTextOutcome(path, bytes.toString("utf8")));
  });

  it("a missing file is a JobError naming it", async () => {
    const path = join(tmpdir(), "restock-read-json-missing", "input.json");

    await expect(readAll(path)).rejects.toThrow(new RegExp(`^cannot read input file ${path}: no such file\\. `));
  });
});
