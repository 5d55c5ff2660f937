import type { InventoryItem, RestockRecord } from "../types.js";

/** Turns one validated item into its restock record for a validated threshold. */
export type StrategyFn = (item: InventoryItem, threshold: number) => RestockRecord;
