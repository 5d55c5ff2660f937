/**
 * The restock rule as a library: the record type, the two strategies and planRestock.
 * Pure: no I/O. Items (their type and validation) come from inventory.ts; the options are checked here.
 */
import { z } from "zod";
import type { InventoryItem } from "./inventory.js";
import { describeValue } from "./inventory.js";

/** One line of the output file. */
export interface RestockRecord {
  item: string;
  current_stock: number;
  recent_sales: number;
  restock: boolean;
  recommended_order: number;
  /** The demand the weighted strategy used, rounded to 2 decimals. */
  forecast_sales?: number;
}

/** The restock strategies, in the order the CLI lists them. */
export const RESTOCK_STRATEGIES = ["simple", "weighted"] as const;

/** How demand is estimated: `simple` uses `sales`, `weighted` the recent `sales_history`. */
export type RestockStrategy = (typeof RESTOCK_STRATEGIES)[number];

/** An item needs restocking when its stock is below demand times this factor. */
export const DEFAULT_THRESHOLD = 2;

/** The strategy used when none is given. */
export const DEFAULT_STRATEGY: RestockStrategy = "simple";

/** The restock threshold: a finite number > 0. A number, not a string: pipe strings into it. */
export const thresholdSchema = z
  .number({ error: "threshold must be a number > 0" })
  .gt(0, { error: "threshold must be a number > 0" });

/** One of RESTOCK_STRATEGIES. */
export const strategySchema = z.enum(RESTOCK_STRATEGIES, {
  error: `strategy must be ${RESTOCK_STRATEGIES.map((name) => `"${name}"`).join(" or ")}`,
});

export interface PlanRestockOptions {
  /** Finite number > 0; default DEFAULT_THRESHOLD (2). */
  threshold?: number;
  /** Default DEFAULT_STRATEGY ("simple"). */
  strategy?: RestockStrategy;
}

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

/** Turns one validated item into its restock record for a validated threshold. */
type StrategyFn = (item: InventoryItem, threshold: number) => RestockRecord;

/** Every strategy by name; adding a name to RESTOCK_STRATEGIES without one here fails to compile. */
const strategies: Readonly<Record<RestockStrategy, StrategyFn>> = {
  simple: simpleRestock,
  weighted: weightedRestock,
};

/**
 * The lesson's rule, unchanged: restock when `stock < sales * threshold`,
 * and order the difference. Numbers are kept exactly as computed (no rounding),
 * so results match the reference implementation for the same input.
 */
export function simpleRestock(item: InventoryItem, threshold: number): RestockRecord {
  const target = item.sales * threshold;
  const restock = item.stock < target;
  return {
    item: item.item,
    current_stock: item.stock,
    recent_sales: item.sales,
    restock,
    recommended_order: restock ? target - item.stock : 0,
  };
}

/** Decimal places the shortfall is rounded to before Math.ceil, to drop floating-point noise. */
const SHORTFALL_DECIMALS = 9;

/**
 * Restock on forecast demand instead of last period's sales.
 * Demand is weightedDemand(sales_history) (weights 1, 2, 3 over the last three periods),
 * or `sales` when the item has no history. Restock when `stock < demand * threshold`;
 * order whole units: Math.ceil(demand * threshold - stock), the shortfall first rounded
 * to 9 decimals so 15.000000000000002 orders 15, not 16 (and a shortfall of pure noise is none).
 */
export function weightedRestock(item: InventoryItem, threshold: number): RestockRecord {
  const history = item.sales_history;
  const demand = history !== undefined && history.length > 0 ? weightedDemand(history) : item.sales;
  const shortfall = roundTo(demand * threshold - item.stock, SHORTFALL_DECIMALS);
  const restock = shortfall > 0;
  return {
    item: item.item,
    current_stock: item.stock,
    recent_sales: item.sales,
    restock,
    recommended_order: restock ? Math.ceil(shortfall) : 0,
    forecast_sales: roundTo(demand, 2),
  };
}

/** How many of the most recent periods the weighted average looks at. */
const WEIGHTED_WINDOW = 3;

/**
 * Weighted moving average of the last three entries of a sales history (oldest first),
 * with linear weights 1, 2, 3 from oldest to newest, so the latest period counts most:
 *
 *   [..., a, b, c] -> (1a + 2b + 3c) / 6
 *   [a, b]         -> (1a + 2b) / 3
 *   [a]            -> a
 *
 * Throws a RangeError for an empty history.
 */
export function weightedDemand(history: readonly number[]): number {
  if (history.length === 0) throw new RangeError("sales history must have at least one entry");
  const window = history.slice(-WEIGHTED_WINDOW);
  let weightedSum = 0;
  let weightTotal = 0;
  window.forEach((sales, position) => {
    const weight = position + 1;
    weightedSum += weight * sales;
    weightTotal += weight;
  });
  return weightedSum / weightTotal;
}

/**
 * Rounds half away from zero to `decimals` places, without the binary
 * surprises of `Math.round(x * 100) / 100` (1.005 rounds to 1.01, and
 * 15.000000000000002 rounds to 15).
 */
export function roundTo(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** decimals;
  const scaled = Number((Math.abs(value) * factor).toPrecision(15));
  const rounded = (Math.sign(value) * Math.round(scaled)) / factor;
  return rounded === 0 ? 0 : rounded; // no -0
}
