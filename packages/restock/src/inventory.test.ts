import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import {
  formatIssuePath,
  InventoryError,
  inventoryItemSchema,
  parseInventory,
  parseInventoryItem,
  plainInventoryItem,
} from "./inventory.js";

/** A key left out of an object, as opposed to one holding undefined. */
const MISSING = Symbol("missing");

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

describe("plainInventoryItem, the fast path of inventoryItemSchema", () => {
  // Every combination of these values (about 100,000 items): what JSON, CSV and library callers hand in.
  const NAMES = [MISSING, undefined, "Widget", " Widget ", "Gerät 7", "\uFEFF W \u00a0", "", "   ", 5, null, ["W"]];
  const NUMBERS = [MISSING, undefined, 0, -0, 5, 12.5, Number.MAX_VALUE, -1, Number.NaN, Infinity, "5", null, true];
  const HISTORIES = [
    MISSING,
    undefined,
    [3],
    [1, 2, 3, 4],
    [0, -0, 2.5],
    [],
    [1, -1],
    [1, Number.NaN],
    [Infinity],
    ["1"],
    // biome-ignore lint/suspicious/noSparseArray: a hole reads as undefined, which the schema rejects
    [1, , 2],
    "1,2",
    null,
    { 0: 1, length: 1 },
  ];
  const SHAPES: ((fields: Record<string, unknown>) => unknown)[] = [
    (fields) => fields,
    (fields) => ({ ...fields, colour: "red" }),
    (fields) => Object.assign(Object.create(null), fields),
    (fields) => Object.create(fields), // every field inherited: the schema reads those too
  ];

  /** Fields to an object, leaving out the MISSING ones (a key that is absent, not undefined). */
  function fieldsOf(values: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== MISSING));
  }

  /** What differs between the fast path and the schema for one input, or undefined when nothing does. */
  function difference(data: unknown, history: unknown): string | undefined {
    const fast = plainInventoryItem(data);
    const schema = inventoryItemSchema.safeParse(data);
    // The one case left to the schema on purpose: a sales_history key that holds undefined.
    if (history === undefined) return fast === undefined ? undefined : "took an undefined sales_history";
    if (fast === undefined) return schema.success ? "declined what the schema accepts" : undefined;
    if (!schema.success) return "accepted what the schema rejects";
    if (!isDeepStrictEqual(fast, schema.data)) return `returned ${JSON.stringify(fast)}`; // -0 is not 0 here
    if (Object.keys(fast).join() !== Object.keys(schema.data).join()) return `keys ${Object.keys(fast).join()}`;
    if (fast === data || (fast.sales_history !== undefined && fast.sales_history === history)) return "not a copy";
    return undefined;
  }

  it("accepts exactly what the schema accepts, and returns what it returns, key order and -0 included", () => {
    const differences: string[] = [];
    let accepted = 0;
    for (const name of NAMES)
      for (const stock of NUMBERS)
        for (const sales of NUMBERS)
          for (const history of HISTORIES)
            for (const shape of SHAPES) {
              const data = shape(fieldsOf({ item: name, stock, sales, sales_history: history }));
              const problem = difference(data, history);
              if (problem !== undefined) differences.push(`${problem}: ${[name, stock, sales, history].map(String)}`);
              if (plainInventoryItem(data) !== undefined) accepted += 1;
            }

    expect(differences).toEqual([]);
    // Taken by the fast path itself: 4 good names x 5 good numbers x 5 x 4 histories (or none) x 4 shapes.
    expect(accepted).toBe(4 * 5 * 5 * 4 * SHAPES.length);
  });

  it("takes the items every input format produces", () => {
    const csvRow = { item: "Widget", stock: 5, sales: 10 };
    const jsonItem = JSON.parse('{"item":" Gerät 7 ","stock":0,"sales":12.5,"sales_history":[6,8,9.5]}');

    expect(plainInventoryItem(csvRow)).toEqual(csvRow);
    expect(plainInventoryItem(jsonItem)).toEqual({
      item: "Gerät 7",
      stock: 0,
      sales: 12.5,
      sales_history: [6, 8, 9.5],
    });
  });
});
