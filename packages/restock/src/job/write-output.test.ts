import { describe, expect, it } from "vitest";
import type { InventoryItem } from "../inventory.js";
import type { RestockRecord } from "../rule.js";
import { planRestock } from "../rule.js";
import { batchesOf } from "../testing/job-helpers.js";
import { formatRecordChunks, formatRecords, planRecords } from "./write-output.js";

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

describe("formatRecords", () => {
  const names = [
    "",
    "plain",
    'quote " and \\ backslash',
    "tab\tnew\nline\r\u0000\u001f\u007f",
    "Gerät ✓ 😀",
    "lone \ud800 surrogate \udfff",
    "</script>",
    "\u2028\u2029",
  ];
  const numbers = [
    0,
    -0,
    1,
    -1,
    1.5,
    0.1 + 0.2,
    1e21,
    1e-7,
    123456789012345680000,
    5e-324,
    Number.MAX_VALUE,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];

  it("writes every record as JSON.stringify(records, null, 2) does, for awkward names and numbers", () => {
    const records: RestockRecord[] = [];
    names.forEach((item, i) => {
      numbers.forEach((n, j) => {
        const base = {
          item,
          current_stock: n,
          recent_sales: numbers[(j + i) % numbers.length]!,
          restock: j % 2 === 0,
          recommended_order: numbers[(j * 3 + i) % numbers.length]!,
        };
        records.push(base, { ...base, forecast_sales: numbers[(j + 5) % numbers.length]! });
      });
    });

    expect(`[\n${formatRecords(records)}\n]`).toBe(JSON.stringify(records, null, 2));
  });

  it("agrees with JSON.stringify on random records", () => {
    let seed = 20_261_205;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const value = () =>
      random() < 0.2
        ? numbers[Math.floor(random() * numbers.length)]!
        : (random() - 0.3) * 10 ** Math.floor(random() * 12);
    const records: RestockRecord[] = Array.from({ length: 5_000 }, () => ({
      item: String.fromCharCode(
        ...Array.from({ length: Math.floor(random() * 8) }, () => Math.floor(random() * 0x10000)),
      ),
      current_stock: value(),
      recent_sales: value(),
      restock: random() < 0.5,
      recommended_order: value(),
      ...(random() < 0.5 ? { forecast_sales: value() } : {}),
    }));

    expect(`[\n${formatRecords(records)}\n]`).toBe(JSON.stringify(records, null, 2));
  });

  it.each(["simple", "weighted"] as const)("writes what the %s rule plans with every key it has", (strategy) => {
    const items: InventoryItem[] = [...ITEMS, { item: "Sprocket", stock: 2, sales: 3, sales_history: [1, 4, 9, 2.5] }];
    const records = planRestock(items, { strategy, threshold: 1.5 });

    expect(`[\n${formatRecords(records)}\n]`).toBe(JSON.stringify(records, null, 2));
  });

  it("one record has no separator, none is empty", () => {
    expect(formatRecords([record(1)])).toBe(JSON.stringify([record(1)], null, 2).slice(2, -2));
    expect(formatRecords([])).toBe("");
  });
});
