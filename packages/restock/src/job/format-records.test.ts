import { describe, it, expect } from "vitest";
import { formatRecordChunks } from "./format-records.js";
import { batchesOf } from "./batches.js";
import type { RestockRecord } from "../types.js";

async function text(chunks: AsyncIterable<string>): Promise<{ text: string; count: number }> {
  let all = "";
  let count = 0;
  for await (const chunk of chunks) {
    all += chunk;
    count += 1;
  }
  return { text: all, count };
}

function record(index: number): RestockRecord {
  return { item: `Item "${index}" \u00e9`, current_stock: index, recent_sales: 1.5, restock: index % 2 === 0, recommended_order: 0 };
}

describe("formatRecordChunks", () => {
  it("is byte for byte JSON.stringify(records, null, 2) with a trailing newline", async () => {
    const records = [record(1), { ...record(2), forecast_sales: 9.33 }];

    expect((await text(formatRecordChunks([records]))).text).toBe(`${JSON.stringify(records, null, 2)}\n`);
  });

  it.each([1, 2, 3, 7])("records cut into batches of %i are still one array", async (size) => {
    const records = Array.from({ length: 7 }, (_, index) => record(index));

    expect((await text(formatRecordChunks(batchesOf(records, size)))).text).toBe(`${JSON.stringify(records, null, 2)}\n`);
  });

  it("no records, or only empty batches, is []", async () => {
    expect((await text(formatRecordChunks([]))).text).toBe("[]\n");
    expect((await text(formatRecordChunks([[], []]))).text).toBe("[]\n");
  });

  it("takes batches from an async stream, one chunk each", async () => {
    const records = Array.from({ length: 10 }, (_, index) => record(index));
    async function* stream(): AsyncGenerator<RestockRecord[]> {
      yield* batchesOf(records, 4);
    }

    const result = await text(formatRecordChunks(stream()));

    expect(result.text).toBe(`${JSON.stringify(records, null, 2)}\n`);
    expect(result.count).toBe(4);
  });
});
