import { describe, it, expect } from "vitest";
import { planRecords } from "./plan-records.js";
import { planRestock } from "../plan-restock.js";
import type { InventoryItem, RestockRecord } from "../types.js";

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
