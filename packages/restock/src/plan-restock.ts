import type { z } from "zod";
import { DEFAULT_STRATEGY, DEFAULT_THRESHOLD } from "./constants.js";
import type { RestockStrategy } from "./constants.js";
import { strategySchema, thresholdSchema } from "./schemas.js";
import { strategies } from "./strategies/registry.js";
import { describeValue } from "./describe-value.js";
import type { InventoryItem, RestockRecord } from "./types.js";

export type PlanRestockOptions = {
  /** Finite number > 0; default DEFAULT_THRESHOLD (2). */
  threshold?: number;
  /** Default "simple". */
  strategy?: RestockStrategy;
};

/**
 * One restock record per item, in input order. Items are taken as valid (see parseInventory);
 * the options are checked here and a bad one throws a RangeError naming it,
 * e.g. `threshold must be a number > 0 (got 0)`.
 */
export function planRestock(items: readonly InventoryItem[], options: PlanRestockOptions = {}): RestockRecord[] {
  return items.map(createRestockPlanner(options));
}

/**
 * The per-item form of planRestock, for items that arrive one at a time (a stream): the options
 * are checked once, here, with the same RangeError; the function returned turns one valid item
 * into its record.
 */
export function createRestockPlanner(options: PlanRestockOptions = {}): (item: InventoryItem) => RestockRecord {
  const threshold = checkOption(thresholdSchema, options.threshold ?? DEFAULT_THRESHOLD);
  const strategy = checkOption(strategySchema, options.strategy ?? DEFAULT_STRATEGY);
  const apply = strategies[strategy];
  return (item) => apply(item, threshold);
}

function checkOption<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? "invalid option";
  throw new RangeError(`${message} (got ${describeValue(value)})`);
}
