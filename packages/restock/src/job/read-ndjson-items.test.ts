import { Readable } from "node:stream";
import { describe, it, expect } from "vitest";
import { JobError } from "./job-error.js";
import { readNdjsonItems } from "./read-ndjson-items.js";
import { errorFrom as readError, itemsFrom as readItems } from "../testing/streamed-items.js";

const PATH = "/data/stock.ndjson";

const itemsFrom = (text: string | string[]) => readItems(readNdjsonItems, PATH, text);
const errorFrom = (text: string) => readError(readNdjsonItems, PATH, text);

describe("readNdjsonItems", () => {
  it("reads one item per line, validated and trimmed like JSON array items", async () => {
    const text = '{"item":" Widget ","stock":5,"sales":10,"colour":"red"}\n{"item":"Gear","stock":1,"sales":2,"sales_history":[1,2]}\n';

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

  it("empty input is no items", async () => {
    expect(await itemsFrom("")).toEqual([]);
  });

  it("skips blank lines but counts them in line numbers", async () => {
    const error = await errorFrom('\n{"item":"Widget","stock":5,"sales":10}\n   \n{"item":"Gadget","stock":5,"sales":-4}\n');

    expect(error.message).toBe(`${PATH}: line 4 ("Gadget"): sales must be a number >= 0 (got -4)`);
    expect(error.exitCode).toBe(1);
  });

  it("a line that is not JSON names the line", async () => {
    const error = await errorFrom('{"item":"Widget","stock":5,"sales":10}\r\n{"item":"Gadget",\r\n');

    expect(error.message).toMatch(new RegExp(`^${PATH.replaceAll(".", "\\.")}: line 2 is not valid JSON: \\S.*$`));
  });

  it("a missing field names the line, the item and the field", async () => {
    expect((await errorFrom('{"item":"Widget","stock":5}\n')).message).toBe(`${PATH}: line 1 ("Widget"): sales is required`);
  });

  it("a line holding an array instead of an object names the line", async () => {
    expect((await errorFrom("[1,2,3]\n")).message).toBe(`${PATH}: line 1: expected an object with item, stock and sales (got [1,2,3])`);
  });

  it("a read error becomes a JobError naming the file", async () => {
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error("EACCES: permission denied, read"), { code: "EACCES" }));
      },
    });

    const error = await (async () => {
      for await (const _ of readNdjsonItems(failing, PATH)) void _;
    })().catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(JobError);
    expect((error as JobError).message).toBe(`cannot read input file ${PATH}: permission denied`);
  });
});
