import { describe, it, expect } from "vitest";
import { weightedRestock } from "./weighted.js";

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
