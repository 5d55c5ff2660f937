import { describe, it, expect } from "vitest";
import { parseInventoryItem } from "./parse-inventory-item.js";
import { parseInventory } from "./parse-inventory.js";
import { InventoryError } from "./inventory-error.js";

function errorFrom(data: unknown, subject = "line 3"): InventoryError {
  try {
    parseInventoryItem(data, subject);
  } catch (error) {
    if (error instanceof InventoryError) return error;
    throw error;
  }
  throw new Error("expected parseInventoryItem to throw");
}

describe("parseInventoryItem", () => {
  it("returns the item as parseInventory would: trimmed name, unknown keys dropped", () => {
    const data = { item: " Widget ", stock: 5, sales: 10, sales_history: [1, 2], colour: "red" };

    expect(parseInventoryItem(data, "line 1")).toEqual(parseInventory([data])[0]);
  });

  it("names the subject, the item, the field and the value", () => {
    expect(errorFrom({ item: "Gadget", stock: 5, sales: -4 }).message).toBe(
      'line 3 ("Gadget"): sales must be a number >= 0 (got -4)',
    );
  });

  it("a missing field says it is required", () => {
    expect(errorFrom({ item: "Widget", stock: 5 }, "line 7").message).toBe('line 7 ("Widget"): sales is required');
  });

  it("a value that is not an object is named by the subject only", () => {
    expect(errorFrom([1, 2, 3]).message).toBe("line 3: expected an object with item, stock and sales (got [1,2,3])");
  });

  it("a bad sales_history entry names where in the history it is", () => {
    expect(errorFrom({ item: "Gear", stock: 1, sales: 1, sales_history: [3, -1] }).message).toBe(
      'line 3 ("Gear"): sales_history entries must be numbers >= 0 (got -1 at sales_history[1])',
    );
  });

  it("counts further problems and keeps every issue, with paths relative to the item", () => {
    const error = errorFrom({ item: "Widget", stock: -1, sales: -2 });

    expect(error.message).toBe('line 3 ("Widget"): stock must be a number >= 0 (got -1) (and 1 more problem)');
    expect(error.issues.map((issue) => issue.path)).toEqual([["stock"], ["sales"]]);
  });
});
