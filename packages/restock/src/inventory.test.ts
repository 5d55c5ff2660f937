import { describe, expect, it } from "vitest";
import {
  formatIssuePath,
  InventoryError,
  inventoryItemSchema,
  parseInventory,
  parseInventoryItem,
} from "./inventory.js";

/** What parseInventory and parseInventoryItem throw: an InventoryError with this message. */
function inventoryError(message: string) {
  return expect.objectContaining({ name: "InventoryError", message });
}

describe("inventoryItemSchema", () => {
  it("item messages name the field in plain words", () => {
    const result = inventoryItemSchema.safeParse({ item: "Widget", stock: 5, sales: -4 });

    expect(result.error?.issues.map((issue) => issue.message)).toEqual(["sales must be a number >= 0"]);
  });

  it("stock and sales reject Infinity", () => {
    const stock = inventoryItemSchema.safeParse({ item: "Widget", stock: Infinity, sales: 1 });
    const sales = inventoryItemSchema.safeParse({ item: "Widget", stock: 1, sales: Infinity });

    expect(stock.success).toBe(false);
    expect(stock.error?.issues.map((issue) => issue.path)).toEqual([["stock"]]);
    expect(sales.success).toBe(false);
    expect(sales.error?.issues.map((issue) => issue.path)).toEqual([["sales"]]);
  });
});

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
    expect(() => parseInventory({ item: "Widget" })).toThrow(
      inventoryError("expected a JSON array of items, got object"),
    );
    expect(() => parseInventory("Widget")).toThrow(inventoryError("expected a JSON array of items, got string"));
    expect(() => parseInventory(null)).toThrow(inventoryError("expected a JSON array of items, got null"));
  });

  it("negative sales names the item by position and name, the field and the value", () => {
    const data = [
      { item: "Widget", stock: 5, sales: 10 },
      { item: "Sprocket", stock: 5, sales: 10 },
      { item: "Gadget", stock: 5, sales: -4 },
    ];

    expect(() => parseInventory(data)).toThrow(
      inventoryError('item #3 ("Gadget"): sales must be a number >= 0 (got -4)'),
    );
  });

  it("a missing field says it is required", () => {
    expect(() => parseInventory([{ item: "Widget", stock: 5 }])).toThrow(
      inventoryError('item #1 ("Widget"): sales is required'),
    );
  });

  it("a non-numeric field shows the text it got", () => {
    expect(() => parseInventory([{ item: "Widget", stock: "five", sales: 10 }])).toThrow(
      inventoryError('item #1 ("Widget"): stock must be a number >= 0 (got "five")'),
    );
  });

  it("an empty item name is rejected and the item is named by position only", () => {
    const data = [
      { item: "Widget", stock: 1, sales: 1 },
      { item: "  ", stock: 5, sales: 10 },
    ];

    expect(() => parseInventory(data)).toThrow(inventoryError('item #2: item must be a non-empty string (got "  ")'));
  });

  it("an item that is not an object is named by position", () => {
    expect(() => parseInventory(["Widget"])).toThrow(
      inventoryError('item #1: expected an object with item, stock and sales (got "Widget")'),
    );
  });

  it("a bad sales_history entry names where in the history it is", () => {
    expect(() => parseInventory([{ item: "Gear", stock: 1, sales: 1, sales_history: [3, -1] }])).toThrow(
      inventoryError('item #1 ("Gear"): sales_history entries must be numbers >= 0 (got -1 at sales_history[1])'),
    );
  });

  it("an empty sales_history is rejected", () => {
    expect(() => parseInventory([{ item: "Gear", stock: 1, sales: 1, sales_history: [] }])).toThrow(
      inventoryError('item #1 ("Gear"): sales_history must have at least one entry when present (got [])'),
    );
  });

  it("counts further problems and keeps every issue on the error", () => {
    const parse = () => parseInventory([{ item: "Widget", stock: -1, sales: -2 }, { item: "" }]);

    expect(parse).toThrow(InventoryError);
    expect(parse).toThrow(Error);
    expect(parse).toThrow(
      expect.objectContaining({
        name: "InventoryError",
        message: 'item #1 ("Widget"): stock must be a number >= 0 (got -1) (and 4 more problems)',
        issues: [
          [0, "stock"],
          [0, "sales"],
          [1, "item"],
          [1, "stock"],
          [1, "sales"],
        ].map((path) => expect.objectContaining({ path })),
      }),
    );
  });
});

describe("parseInventoryItem", () => {
  it("returns the item as parseInventory would: trimmed name, unknown keys dropped", () => {
    const data = { item: " Widget ", stock: 5, sales: 10, sales_history: [1, 2], colour: "red" };

    expect(parseInventoryItem(data, "line 1")).toEqual(parseInventory([data])[0]);
  });

  it("names the subject, the item, the field and the value", () => {
    expect(() => parseInventoryItem({ item: "Gadget", stock: 5, sales: -4 }, "line 3")).toThrow(
      inventoryError('line 3 ("Gadget"): sales must be a number >= 0 (got -4)'),
    );
  });

  it("a missing field says it is required", () => {
    expect(() => parseInventoryItem({ item: "Widget", stock: 5 }, "line 7")).toThrow(
      inventoryError('line 7 ("Widget"): sales is required'),
    );
  });

  it("a value that is not an object is named by the subject only", () => {
    expect(() => parseInventoryItem([1, 2, 3], "line 3")).toThrow(
      inventoryError("line 3: expected an object with item, stock and sales (got [1,2,3])"),
    );
  });

  it("a bad sales_history entry names where in the history it is", () => {
    expect(() => parseInventoryItem({ item: "Gear", stock: 1, sales: 1, sales_history: [3, -1] }, "line 3")).toThrow(
      inventoryError('line 3 ("Gear"): sales_history entries must be numbers >= 0 (got -1 at sales_history[1])'),
    );
  });

  it("counts further problems and keeps every issue, with paths relative to the item", () => {
    const parse = () => parseInventoryItem({ item: "Widget", stock: -1, sales: -2 }, "line 3");

    expect(parse).toThrow(InventoryError);
    expect(parse).toThrow(
      expect.objectContaining({
        message: 'line 3 ("Widget"): stock must be a number >= 0 (got -1) (and 1 more problem)',
        issues: [expect.objectContaining({ path: ["stock"] }), expect.objectContaining({ path: ["sales"] })],
      }),
    );
  });
});

describe("formatIssuePath", () => {
  it("writes a path as a JavaScript reader would", () => {
    expect(formatIssuePath(["items", 2, "sales"])).toBe("items[2].sales");
    expect(formatIssuePath(["sales_history", 3])).toBe("sales_history[3]");
  });

  it("a path that starts with an index, or is empty", () => {
    expect(formatIssuePath([0, "stock"])).toBe("[0].stock");
    expect(formatIssuePath([])).toBe("");
  });
});
