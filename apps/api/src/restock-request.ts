import { HttpError } from "@stockroom/http-kit";
import { DEFAULT_THRESHOLD, inventorySchema, strategySchema, thresholdSchema } from "@stockroom/restock";
import type { InventoryItem, RestockStrategy } from "@stockroom/restock";
import { z } from "zod";
import { validationError } from "./validation-error.js";

/** planRestock's own default; the response echoes the strategy it used. */
export const DEFAULT_STRATEGY: RestockStrategy = "simple";

/** The body of POST /restock. The item rules are the restock package's own. */
export const restockRequestSchema = z.object(
  {
    items: inventorySchema,
    threshold: thresholdSchema.optional(),
    strategy: strategySchema.optional(),
  },
  { error: "must be a JSON object with an items array" },
);

export interface RestockRequest {
  items: InventoryItem[];
  threshold: number;
  strategy: RestockStrategy;
}

/**
 * Checks a parsed JSON body: more than `maxItems` items is a 413 (counted
 * before the items are checked, so an oversized batch is not validated item
 * by item), anything invalid a 400 naming the field. Defaults filled in.
 */
export function parseRestockRequest(body: unknown, maxItems: number): RestockRequest {
  const items = typeof body === "object" && body !== null && "items" in body ? body.items : undefined;
  if (Array.isArray(items) && items.length > maxItems) {
    throw new HttpError(413, `too many items: got ${items.length}, the limit is ${maxItems} per request`);
  }
  const result = restockRequestSchema.safeParse(body);
  if (!result.success) throw validationError(result.error);
  return {
    items: result.data.items,
    threshold: result.data.threshold ?? DEFAULT_THRESHOLD,
    strategy: result.data.strategy ?? DEFAULT_STRATEGY,
  };
}
