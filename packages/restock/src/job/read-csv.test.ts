import { describe, expect, it } from "vitest";
import { collectItems, textStream } from "../testing/job-helpers.js";
import { JobError } from "./errors.js";
import { readCsvItems } from "./read-csv.js";

const PATH = "/data/stock.csv";

/** Small batches, so the tests cross batch boundaries too. */
const itemsFrom = (text: string | string[]) => collectItems(readCsvItems(textStream(text), PATH, 2));

describe("readCsvItems", () => {
  it("reads rows under the header item,stock,sales into validated items", async () => {
    const text = 'item,stock,sales\nWidget,5,10\n" Gadget, large ",50,2.5\n';

    expect(await itemsFrom(text)).toEqual([
      { item: "Widget", stock: 5, sales: 10 },
      { item: "Gadget, large", stock: 50, sales: 2.5 },
    ]);
  });

  it("takes the columns in any order", async () => {
    expect(await itemsFrom("sales,item,stock\n10,Widget,5\n")).toEqual([{ item: "Widget", stock: 5, sales: 10 }]);
  });

  it("reads a CRLF file with a BOM, blank lines and rows split across chunks", async () => {
    const chunks = ["\uFEFFitem,stock,sales\r\n\r\nWid", "get,5,10\r\nGadget,50,10\r", "\n"];

    expect(await itemsFrom(chunks)).toEqual([
      { item: "Widget", stock: 5, sales: 10 },
      { item: "Gadget", stock: 50, sales: 10 },
    ]);
  });

  it("yields full batches of the size asked for, the last one shorter", async () => {
    const text = "item,stock,sales\nA,1,1\nB,2,1\nC,3,1\n";

    const batches: string[][] = [];
    for await (const batch of readCsvItems(textStream(text), PATH, 2)) batches.push(batch.map((item) => item.item));

    expect(batches).toEqual([["A", "B"], ["C"]]);
  });

  it("a header with no rows is no items", async () => {
    expect(await itemsFrom("item,stock,sales\r\n")).toEqual([]);
  });

  it("an empty file is an error: the header is missing", async () => {
    await expect(itemsFrom("")).rejects.toThrow(
      new JobError(1, `${PATH}: the file is empty; a CSV input starts with the header item,stock,sales`),
    );
  });

  it("a header that does not match names what is missing and what is unexpected", async () => {
    await expect(itemsFrom("item,stock,sold\nWidget,5,10\n")).rejects.toThrow(
      new JobError(
        1,
        `${PATH}: line 1: the header must be item,stock,sales, in any order ` +
          '(got "item,stock,sold": missing sales; unexpected sold)',
      ),
    );
  });

  it("a duplicated or extra column is a header mismatch too", async () => {
    await expect(itemsFrom("item,stock,sales,stock\n")).rejects.toThrow(
      expect.objectContaining({
        name: "JobError",
        message: expect.stringContaining('(got "item,stock,sales,stock": unexpected stock)'),
      }),
    );
    await expect(itemsFrom("item,stock,sales,sales_history\n")).rejects.toThrow(
      expect.objectContaining({ name: "JobError", message: expect.stringContaining("unexpected sales_history") }),
    );
  });

  it("a bad number names the line, the item, the field and the text", async () => {
    await expect(itemsFrom("item,stock,sales\r\nWidget,5,10\r\nGadget,five,10\r\n")).rejects.toThrow(
      new JobError(1, `${PATH}: line 3 ("Gadget"): stock must be a number >= 0 (got "five")`),
    );
  });

  it("a negative number and an empty cell are caught as in JSON", async () => {
    await expect(itemsFrom("item,stock,sales\nGadget,5,-4\n")).rejects.toThrow(
      new JobError(1, `${PATH}: line 2 ("Gadget"): sales must be a number >= 0 (got -4)`),
    );
    await expect(itemsFrom("item,stock,sales\nGadget,,4\n")).rejects.toThrow(
      new JobError(1, `${PATH}: line 2 ("Gadget"): stock is required`),
    );
    await expect(itemsFrom("item,stock,sales\n,1,4\n")).rejects.toThrow(
      new JobError(1, `${PATH}: line 2: item must be a non-empty string (got "")`),
    );
  });

  it("a row with the wrong number of cells is not valid CSV, with its line", async () => {
    await expect(itemsFrom("item,stock,sales\nWidget,5,10\nGadget,5\n")).rejects.toThrow(
      expect.objectContaining({
        name: "JobError",
        exitCode: 1,
        message: expect.stringMatching(new RegExp(`^${PATH.replaceAll(".", "\\.")} is not valid CSV: .*line 3`)),
      }),
    );
  });
});
