import type { InventoryItem, RestockRecord } from "../types.js";

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
