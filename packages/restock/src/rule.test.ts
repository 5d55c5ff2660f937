import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { InventoryItem } from "./inventory.js";
import {
  createRestockPlanner,
  planRestock,
  roundTo,
  simpleRestock,
  strategySchema,
  thresholdSchema,
  weightedDemand,
  weightedRestock,
} from "./rule.js";

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

    expect(() => planRestock(items, options)).toThrow(
      new RangeError('strategy must be "simple" or "weighted" (got "fancy")'),
    );
  });
});

describe("createRestockPlanner", () => {
  it("plans one item at a time exactly as planRestock plans the list", () => {
    const plan = createRestockPlanner({ threshold: 1.5, strategy: "weighted" });

    expect(items.map((item) => plan(item))).toEqual(planRestock(items, { threshold: 1.5, strategy: "weighted" }));
  });

  it("checks the options once, up front, with the same RangeError", () => {
    expect(() => createRestockPlanner({ threshold: 0 })).toThrow(
      new RangeError("threshold must be a number > 0 (got 0)"),
    );
  });
});

describe("option schemas", () => {
  it("thresholdSchema works inside a bigger object", () => {
    const settings = z.object({ threshold: thresholdSchema, strategy: strategySchema });

    expect(settings.parse({ threshold: 1.5, strategy: "weighted" })).toEqual({ threshold: 1.5, strategy: "weighted" });
    expect(settings.safeParse({ threshold: 0, strategy: "simple" }).error?.issues).toMatchObject([
      { path: ["threshold"], message: "threshold must be a number > 0" },
    ]);
  });

  it("thresholdSchema accepts numbers only, not numeric text", () => {
    expect(thresholdSchema.safeParse("2").success).toBe(false);
  });
});

describe("simple strategy", () => {
  it("restocks Widget (stock 5, sales 10) at threshold 2 with an order of 15", () => {
    const record = simpleRestock({ item: "Widget", stock: 5, sales: 10 }, 2);

    expect(record).toEqual({
      item: "Widget",
      current_stock: 5,
      recent_sales: 10,
      restock: true,
      recommended_order: 15,
    });
  });

  it("does not restock an item with plenty of stock (stock 50, sales 10)", () => {
    const record = simpleRestock({ item: "Gadget", stock: 50, sales: 10 }, 2);

    expect(record.restock).toBe(false);
    expect(record.recommended_order).toBe(0);
  });

  it("an item exactly at the threshold does not need restocking", () => {
    const record = simpleRestock({ item: "Gizmo", stock: 20, sales: 10 }, 2);

    expect(record.restock).toBe(false);
    expect(record.recommended_order).toBe(0);
  });

  it("a higher threshold makes the same item need more", () => {
    const record = simpleRestock({ item: "Gadget", stock: 25, sales: 10 }, 3);

    expect(record.restock).toBe(true);
    expect(record.recommended_order).toBe(5);
  });

  it("a fractional threshold (1.5) keeps the fractional order, as the reference does", () => {
    const record = simpleRestock({ item: "Sprocket", stock: 4, sales: 7 }, 1.5);

    expect(record.restock).toBe(true);
    expect(record.recommended_order).toBe(6.5);
  });

  it("keeps numbers exactly as computed, without rounding", () => {
    const record = simpleRestock({ item: "Bolt", stock: 40, sales: 50 }, 1.1);

    expect(record.recommended_order).toBe(50 * 1.1 - 40);
    expect(record.recommended_order).not.toBe(15);
  });

  it("nothing sold means nothing to order, even with no stock", () => {
    const record = simpleRestock({ item: "Relic", stock: 0, sales: 0 }, 2);

    expect(record.restock).toBe(false);
    expect(record.recommended_order).toBe(0);
  });

  it("ignores sales_history and adds no forecast", () => {
    const record = simpleRestock({ item: "Widget", stock: 5, sales: 10, sales_history: [100, 100, 100] }, 2);

    expect(record.recommended_order).toBe(15);
    expect(record).not.toHaveProperty("forecast_sales");
  });
});

describe("weighted strategy", () => {
  it("orders on the weighted forecast, rounded up to whole units", () => {
    // last three of the history: (8 + 18 + 30) / 6 = 9.333..., target 18.666..., short 13.666...
    const record = weightedRestock({ item: "Widget", stock: 5, sales: 10, sales_history: [6, 8, 9, 10] }, 2);

    expect(record).toEqual({
      item: "Widget",
      current_stock: 5,
      recent_sales: 10,
      restock: true,
      recommended_order: 14,
      forecast_sales: 9.33,
    });
  });

  it("an item without sales_history falls back to its sales", () => {
    const record = weightedRestock({ item: "Widget", stock: 5, sales: 10 }, 2);

    expect(record.forecast_sales).toBe(10);
    expect(record.recommended_order).toBe(15);
  });

  it("can flag an item the simple rule would not, when sales are trending up", () => {
    // (13 + 32 + 36) / 6 = 13.5 -> target 27 > stock 25, while sales 12 -> 24 < 25
    const record = weightedRestock({ item: "Flange", stock: 25, sales: 12, sales_history: [8, 10, 13, 16, 12] }, 2);

    expect(record.restock).toBe(true);
    expect(record.recommended_order).toBe(2);
    expect(record.recent_sales).toBe(12);
  });

  it("an item exactly at the weighted threshold does not need restocking", () => {
    const record = weightedRestock({ item: "Thingamajig", stock: 28, sales: 12, sales_history: [18, 15, 12] }, 2);

    expect(record.forecast_sales).toBe(14);
    expect(record.restock).toBe(false);
    expect(record.recommended_order).toBe(0);
  });

  it("floating-point noise does not add a unit: 50 * 1.1 - 40 orders 15, not 16", () => {
    expect(50 * 1.1 - 40).toBeGreaterThan(15);

    const record = weightedRestock({ item: "Bolt", stock: 40, sales: 50 }, 1.1);

    expect(record.recommended_order).toBe(15);
  });

  it("floating-point noise alone does not trigger a restock", () => {
    expect(55).toBeLessThan(50 * 1.1);

    const record = weightedRestock({ item: "Bolt", stock: 55, sales: 50 }, 1.1);

    expect(record.restock).toBe(false);
    expect(record.recommended_order).toBe(0);
  });

  it("a fractional threshold (1.5) rounds the order up", () => {
    // demand 7, target 10.5, stock 4 -> 6.5 -> 7
    const record = weightedRestock({ item: "Sprocket", stock: 4, sales: 7 }, 1.5);

    expect(record.recommended_order).toBe(7);
  });

  it("forecast_sales is rounded to 2 decimals", () => {
    const record = weightedRestock({ item: "Gear", stock: 100, sales: 9, sales_history: [11, 10, 9] }, 2);

    expect(record.forecast_sales).toBe(9.67);
  });
});

describe("weightedDemand", () => {
  it("a one-entry history is that entry", () => {
    expect(weightedDemand([7])).toBe(7);
  });

  it("a two-entry history weighs 1 and 2: (1a + 2b) / 3", () => {
    expect(weightedDemand([3, 6])).toBe((3 + 12) / 3);
  });

  it("a three-entry history weighs 1, 2, 3: (1a + 2b + 3c) / 6", () => {
    expect(weightedDemand([6, 12, 8])).toBe((6 + 24 + 24) / 6);
  });

  it("a five-entry history uses only the last three", () => {
    expect(weightedDemand([100, 100, 3, 4, 5])).toBeCloseTo((3 + 8 + 15) / 6, 12);
  });

  it("the newest period counts most", () => {
    expect(weightedDemand([0, 0, 6])).toBe(3);
    expect(weightedDemand([6, 0, 0])).toBe(1);
  });

  it("an empty history is a RangeError", () => {
    expect(() => weightedDemand([])).toThrow(RangeError);
  });
});

describe("roundTo", () => {
  it("drops floating-point noise at 9 decimals", () => {
    expect(roundTo(15.000000000000002, 9)).toBe(15);
    expect(roundTo(0.1 + 0.2, 9)).toBe(0.3);
  });

  it("rounds halves up where naive scaling would not (1.005 -> 1.01)", () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
  });

  it("rounds negative numbers symmetrically", () => {
    expect(roundTo(-2.345, 2)).toBe(-2.35);
    expect(roundTo(-1e-12, 9)).toBe(0);
  });

  it("leaves non-finite values alone", () => {
    expect(roundTo(Number.NaN, 2)).toBeNaN();
  });
});
