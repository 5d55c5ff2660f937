export type { InventoryItem } from "./inventory.js";
export {
  formatIssuePath,
  InventoryError,
  inventoryItemSchema,
  inventorySchema,
  parseInventory,
  parseInventoryItem,
} from "./inventory.js";
export type { PlanRestockOptions, RestockRecord, RestockStrategy } from "./rule.js";
export {
  createRestockPlanner,
  DEFAULT_STRATEGY,
  DEFAULT_THRESHOLD,
  planRestock,
  RESTOCK_STRATEGIES,
  strategySchema,
  thresholdSchema,
  weightedDemand,
} from "./rule.js";
