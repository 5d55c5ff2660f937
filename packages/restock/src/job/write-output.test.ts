import { describe, expect, it } from "vitest";
import type { InventoryItem, RestockRecord } from "../rule.js";
import { planRestock } from "../rule.js";
import { batchesOf } from "../testing/job-helpers.js";
import { formatRecordChunks, planRecords } from "./write-output.js";

const ITEMS: InventoryItem[] = [
  { item: "Widget", stock: 5, sales: 10 },
  { item: "Gadget", stock: 50, sales: 10 },
  { item: "Gizmo", stock: 1, sales: 10 },
];

describe("planRecords", () => {
  it("plans an async stream of batches like planRestock plans the list, and counts as it goes", async () => {
    async function* stream(): AsyncGenerator<InventoryItem[]> {
      yield ITEMS.slice(0, 2);
      yield ITEMS.slice(2);
    }
    const { records, tally } = planRecords(stream(), { threshold: 2, strategy: "simple" });

    const planned: RestockRecord[] = [];
    for await (const batch of records) planned.push(...batch);

    expect(planned).toEqual(planRestock(ITEMS));
    expect(tally).toEqual({ total: 3, restocking: 2 });
  });

  it("plain batches give plain batches, planned lazily", () => {
    const { records, tally } = planRecords([ITEMS], { threshold: 2 });

    expect(tally.total).toBe(0);
    expect(Symbol.iterator in records).toBe(true);
    expect([...(records as Iterable<RestockRecord[]>)]).toEqual([planRestock(ITEMS)]);
    expect(tally).toEqual({ total: 3, restocking: 2 });
  });

  it("a bad option throws at once", () => {
    expect(() => planRecords([ITEMS], { threshold: -1 })).toThrow(RangeError);
  });
});

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
  return {
    item: `Item "${index}" \u00e9`,
    current_stock: index,
    recent_sales: 1.5,
    restock: index % 2 === 0,
    recommended_order: 0,
  };
}

describe("formatRecordChunks", () => {
  it("is byte for byte JSON.stringify(records, null, 2) with a trailing newline", async () => {
    const records = [record(1), { ...record(2), forecast_sales: 9.33 }];

    expect((await text(formatRecordChunks([records]))).text).toBe(`${JSON.stringify(records, null, 2)}\n`);
  });

  it.each([1, 2, 3, 7])("records cut into batches of %i are still one array", async (size) => {
    const records = Array.from({ length: 7 }, (_, index) => record(index));

    expect((await text(formatRecordChunks(batchesOf(records, size)))).text).toBe(
      `${JSON.stringify(records, null, 2)}\n`,
    );
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
