export type { InventoryItem, RestockRecord } from "./types.js";
export type { RestockStrategy } from "./constants.js";
export { DEFAULT_THRESHOLD, RESTOCK_STRATEGIES } from "./constants.js";
export { inventoryItemSchema, inventorySchema, strategySchema, thresholdSchema } from "./schemas.js";
export { planRestock } from "./plan-restock.js";
export { parseInventory } from "./parse-inventory.js";
export { InventoryError } from "./inventory-error.js";
export { weightedDemand } from "./strategies/weighted-demand.js";
