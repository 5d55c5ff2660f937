import { describe, it, expect } from "vitest";
import { simpleRestock } from "./simple.js";

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
