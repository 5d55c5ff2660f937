import { inventorySchema } from "./schemas.js";
import { InventoryError } from "./inventory-error.js";
import { formatInventoryIssue } from "./format-inventory-issue.js";
import { inventoryErrorMessage } from "./inventory-error-message.js";
import type { InventoryItem } from "./types.js";

/**
 * Validates parsed JSON as a list of inventory items.
 * Throws an InventoryError naming the first bad item (by 1-based position and name) and field;
 * every problem found is on `error.issues`.
 */
export function parseInventory(data: unknown): InventoryItem[] {
  const result = inventorySchema.safeParse(data);
  if (result.success) return result.data;

  const { issues } = result.error;
  throw new InventoryError(inventoryErrorMessage(issues, (issue) => formatInventoryIssue(issue, data)), issues);
}
