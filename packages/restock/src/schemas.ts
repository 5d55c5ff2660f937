import { z } from "zod";
import { RESTOCK_STRATEGIES } from "./constants.js";
import type { InventoryItem } from "./types.js";
import { jsonTypeName } from "./describe-value.js";

function nonNegativeNumber(field: string) {
  const message = `${field} must be a number >= 0`;
  return z
    .number({ error: (issue) => (issue.input === undefined ? `${field} is required` : message) })
    .min(0, { error: message });
}

const salesHistorySchema = z
  .array(z.number({ error: "sales_history entries must be numbers >= 0" }).min(0, { error: "sales_history entries must be numbers >= 0" }), {
    error: "sales_history must be an array of numbers >= 0, oldest first",
  })
  .min(1, { error: "sales_history must have at least one entry when present" });

/** One inventory item. Unknown keys are dropped; `item` is trimmed. */
export const inventoryItemSchema = z.object(
  {
    item: z
      .string({ error: (issue) => (issue.input === undefined ? "item is required" : "item must be a non-empty string") })
      .trim()
      .min(1, { error: "item must be a non-empty string" }),
    stock: nonNegativeNumber("stock"),
    sales: nonNegativeNumber("sales"),
    sales_history: salesHistorySchema.optional(),
  },
  { error: "expected an object with item, stock and sales" },
) satisfies z.ZodType<InventoryItem>;

/** The whole input file: a JSON array of items. */
export const inventorySchema = z.array(inventoryItemSchema, {
  error: (issue) => `expected a JSON array of items, got ${jsonTypeName(issue.input)}`,
});

/** The restock threshold: a finite number > 0. A number, not a string: pipe strings into it. */
export const thresholdSchema = z
  .number({ error: "threshold must be a number > 0" })
  .gt(0, { error: "threshold must be a number > 0" });

/** One of RESTOCK_STRATEGIES. */
export const strategySchema = z.enum(RESTOCK_STRATEGIES, {
  error: `strategy must be ${RESTOCK_STRATEGIES.map((name) => `"${name}"`).join(" or ")}`,
});
