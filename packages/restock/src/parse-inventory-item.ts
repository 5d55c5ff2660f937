import { inventoryItemSchema } from "./schemas.js";
import { InventoryError } from "./inventory-error.js";
import { formatItemIssue } from "./format-inventory-issue.js";
import { inventoryErrorMessage } from "./inventory-error-message.js";
import type { InventoryItem } from "./types.js";

/**
 * Validates one item exactly as parseInventory validates each element of an array, for inputs
 * read one item at a time (NDJSON, CSV). `subject` says where the item came from and heads the
 * message: `line 3 ("Gadget"): sales must be a number >= 0 (got -4)`. Throws an InventoryError;
 * every problem found is on `error.issues`, with paths relative to the item.
 */
export function parseInventoryItem(data: unknown, subject: string): InventoryItem {
  const result = inventoryItemSchema.safeParse(data);
  if (result.success) return result.data;

  const { issues } = result.error;
  throw new InventoryError(inventoryErrorMessage(issues, (issue) => formatItemIssue(subject, issue, data)), issues);
}
