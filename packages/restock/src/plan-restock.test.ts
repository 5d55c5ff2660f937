import { describe, it, expect } from "vitest";
import { createRestockPlanner, planRestock } from "./plan-restock.js";
import type { InventoryItem } from "./types.js";

const items: InventoryItem[] = [
  { item: "Widget", stock: 5, sales: 10, sales_history: [6, 8, 9, 10] },
  { item: "Gadget", stock: 50, sales: 10 },
  { item: "Gizmo", stock: 20, sales: 10 },
];

describe("planRestock", () => {
  it("uses threshold 2 and the simple strategy by default", () => {
    const records = planRestock(items);

    expect(records.map((record) => [record.item, record.restock, record.recommended_order])).toEqual([
      ["Widget", true, 15],
      ["Gadget", false, 0],
      ["Gizmo", false, 0],
    ]);
  });

  it("returns one record per item, in input order", () => {
    const records = planRestock(items, { threshold: 2 });

    expect(records.map((record) => record.item)).toEqual(["Widget", "Gadget", "Gizmo"]);
  });

  it("a higher threshold restocks more items", () => {
    const records = planRestock(items, { threshold: 3 });

    expect(records.map((record) => record.recommended_order)).toEqual([25, 0, 10]);
  });

  it("a fractional threshold (1.5) is honoured", () => {
    const records = planRestock(items, { threshold: 1.5 });

    expect(records.map((record) => record.restock)).toEqual([true, false, false]);
    expect(records[0]?.recommended_order).toBe(10);
  });

  it("the weighted strategy adds forecast_sales and uses the history", () => {
    const records = planRestock(items, { strategy: "weighted" });

    expect(records[0]).toMatchObject({ forecast_sales: 9.33, recommended_order: 14 });
    expect(records[1]).toMatchObject({ forecast_sales: 10, recommended_order: 0 });
  });

  it("an empty list gives an empty plan", () => {
    expect(planRestock([])).toEqual([]);
  });

  it.each([
    [0, "threshold must be a number > 0 (got 0)"],
    [-1, "threshold must be a number > 0 (got -1)"],
    [Number.NaN, "threshold must be a number > 0 (got NaN)"],
    [Number.POSITIVE_INFINITY, "threshold must be a number > 0 (got Infinity)"],
  ])("rejects threshold %s with a RangeError naming the option", (threshold, message) => {
    expect(() => planRestock(items, { threshold })).toThrow(new RangeError(message));
  });

  it("rejects an unknown strategy with a RangeError naming the option", () => {
    const options = { strategy: "fancy" } as unknown as Parameters<typeof planRestock>[1];

    expect(() => planRestock(items, options)).toThrow(new RangeError('strategy must be "simple" or "weighted" (got "fancy")'));
  });
});

describe("createRestockPlanner", () => {
  it("plans one item at a time exactly as planRestock plans the list", () => {
    const plan = createRestockPlanner({ threshold: 1.5, strategy: "weighted" });

    expect(items.map((item) => plan(item))).toEqual(planRestock(items, { threshold: 1.5, strategy: "weighted" }));
  });

  it("checks the options once, up front, with the same RangeError", () => {
    expect(() => createRestockPlanner({ threshold: 0 })).toThrow(new RangeError("threshold must be a number > 0 (got 0)"));
  });
});
