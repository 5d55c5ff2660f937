import { describe, it, expect } from "vitest";
import { parseInventory } from "./parse-inventory.js";
import { InventoryError } from "./inventory-error.js";

function errorFrom(data: unknown): InventoryError {
  try {
    parseInventory(data);
  } catch (error) {
    if (error instanceof InventoryError) return error;
    throw error;
  }
  throw new Error("expected parseInventory to throw");
}

describe("parseInventory", () => {
  it("accepts valid items and trims item names", () => {
    const items = parseInventory([
      { item: " Widget ", stock: 5, sales: 10 },
      { item: "Gadget", stock: 0, sales: 0, sales_history: [1, 2, 3] },
    ]);

    expect(items).toEqual([
      { item: "Widget", stock: 5, sales: 10 },
      { item: "Gadget", stock: 0, sales: 0, sales_history: [1, 2, 3] },
    ]);
  });

  it("drops unknown keys", () => {
    expect(parseInventory([{ item: "Widget", stock: 5, sales: 10, colour: "red" }])).toEqual([
      { item: "Widget", stock: 5, sales: 10 },
    ]);
  });

  it("accepts an empty array", () => {
    expect(parseInventory([])).toEqual([]);
  });

  it("a non-array names what it got", () => {
    expect(errorFrom({ item: "Widget" }).message).toBe("expected a JSON array of items, got object");
    expect(errorFrom("Widget").message).toBe("expected a JSON array of items, got string");
    expect(errorFrom(null).message).toBe("expected a JSON array of items, got null");
  });

  it("negative sales names the item by position and name, the field and the value", () => {
    const error = errorFrom([
      { item: "Widget", stock: 5, sales: 10 },
      { item: "Sprocket", stock: 5, sales: 10 },
      { item: "Gadget", stock: 5, sales: -4 },
    ]);

    expect(error.message).toBe('item #3 ("Gadget"): sales must be a number >= 0 (got -4)');
  });

  it("a missing field says it is required", () => {
    expect(errorFrom([{ item: "Widget", stock: 5 }]).message).toBe('item #1 ("Widget"): sales is required');
  });

  it("a non-numeric field shows the text it got", () => {
    expect(errorFrom([{ item: "Widget", stock: "five", sales: 10 }]).message).toBe(
      'item #1 ("Widget"): stock must be a number >= 0 (got "five")',
    );
  });

  it("an empty item name is rejected and the item is named by position only", () => {
    expect(errorFrom([{ item: "Widget", stock: 1, sales: 1 }, { item: "  ", stock: 5, sales: 10 }]).message).toBe(
      'item #2: item must be a non-empty string (got "  ")',
    );
  });

  it("an item that is not an object is named by position", () => {
    expect(errorFrom(["Widget"]).message).toBe('item #1: expected an object with item, stock and sales (got "Widget")');
  });

  it("a bad sales_history entry names where in the history it is", () => {
    expect(errorFrom([{ item: "Gear", stock: 1, sales: 1, sales_history: [3, -1] }]).message).toBe(
      'item #1 ("Gear"): sales_history entries must be numbers >= 0 (got -1 at sales_history[1])',
    );
  });

  it("an empty sales_history is rejected", () => {
    expect(errorFrom([{ item: "Gear", stock: 1, sales: 1, sales_history: [] }]).message).toBe(
      'item #1 ("Gear"): sales_history must have at least one entry when present (got [])',
    );
  });

  it("counts further problems and keeps every issue on the error", () => {
    const error = errorFrom([{ item: "Widget", stock: -1, sales: -2 }, { item: "" }]);

    expect(error.message).toBe('item #1 ("Widget"): stock must be a number >= 0 (got -1) (and 4 more problems)');
    expect(error.issues.map((issue) => issue.path)).toEqual([
      [0, "stock"],
      [0, "sales"],
      [1, "item"],
      [1, "stock"],
      [1, "sales"],
    ]);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("InventoryError");
  });
});
