import type { InventoryItem, RestockRecord } from "../types.js";
import { roundTo } from "../round.js";
import { weightedDemand } from "./weighted-demand.js";

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
