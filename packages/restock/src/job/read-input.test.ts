import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { collectItems, textStream } from "../testing/job-helpers.js";
import { JobError } from "./errors.js";
import { readNdjsonItems } from "./read-input.js";

const PATH = "/data/stock.ndjson";

/** Small batches, so the tests cross batch boundaries too. */
const itemsFrom = (text: string | string[]) => collectItems(readNdjsonItems(textStream(text), PATH, 2));

describe("readNdjsonItems", () => {
  it("reads one item per line, validated and trimmed like JSON array items", async () => {
    const text =
      '{"item":" Widget ","stock":5,"sales":10,"colour":"red"}\n' +
      '{"item":"Gear","stock":1,"sales":2,"sales_history":[1,2]}\n';

    expect(await itemsFrom(text)).toEqual([
      { item: "Widget", stock: 5, sales: 10 },
      { item: "Gear", stock: 1, sales: 2, sales_history: [1, 2] },
    ]);
  });

  it("reads CRLF line ends, a BOM, a missing final newline and lines split across chunks", async () => {
    const chunks = ['\uFEFF{"item":"Widget","stock":5,', '"sales":10}\r', '\n{"item":"Gadget","stock":50,"sales":10}'];

    expect(await itemsFrom(chunks)).toEqual([
      { item: "Widget", stock: 5, sales: 10 },
      { item: "Gadget", stock: 50, sales: 10 },
    ]);
  });

  it("yields full batches of the size asked for, the last one shorter", async () => {
    const text = [1, 2, 3, 4, 5].map((stock) => `{"item":"Widget","stock":${stock},"sales":1}\n`).join("");

    const batches: number[][] = [];
    for await (const batch of readNdjsonItems(textStream(text), PATH, 2)) batches.push(batch.map((item) => item.stock));

    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("empty input is no items", async () => {
    expect(await itemsFrom("")).toEqual([]);
  });

  it("skips blank lines but counts them in line numbers", async () => {
    const text = '\n{"item":"Widget","stock":5,"sales":10}\n   \n{"item":"Gadget","stock":5,"sales":-4}\n';

    await expect(itemsFrom(text)).rejects.toThrow(
      new JobError(1, `${PATH}: line 4 ("Gadget"): sales must be a number >= 0 (got -4)`),
    );
  });

  it("a line that is not JSON names the line", async () => {
    await expect(itemsFrom('{"item":"Widget","stock":5,"sales":10}\r\n{"item":"Gadget",\r\n')).rejects.toThrow(
      expect.objectContaining({
        name: "JobError",
        exitCode: 1,
        message: expect.stringMatching(new RegExp(`^${PATH.replaceAll(".", "\\.")}: line 2 is not valid JSON: \\S.*$`)),
      }),
    );
  });

  it("a missing field names the line, the item and the field", async () => {
    await expect(itemsFrom('{"item":"Widget","stock":5}\n')).rejects.toThrow(
      new JobError(1, `${PATH}: line 1 ("Widget"): sales is required`),
    );
  });

  it("a line holding an array instead of an object names the line", async () => {
    await expect(itemsFrom("[1,2,3]\n")).rejects.toThrow(
      new JobError(1, `${PATH}: line 1: expected an object with item, stock and sales (got [1,2,3])`),
    );
  });

  it("a read error becomes a JobError naming the file", async () => {
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error("EACCES: permission denied, read"), { code: "EACCES" }));
      },
    });

    await expect(collectItems(readNdjsonItems(failing, PATH, 2))).rejects.toThrow(
      new JobError(1, `cannot read input file ${PATH}: permission denied`),
    );
  });
});
