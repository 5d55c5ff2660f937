export type { InventoryItem, PlanRestockOptions, RestockRecord, RestockStrategy } from "./rule.js";
export {
  DEFAULT_STRATEGY,
  DEFAULT_THRESHOLD,
  RESTOCK_STRATEGIES,
  createRestockPlanner,
  planRestock,
  strategySchema,
  thresholdSchema,
  weightedDemand,
} from "./rule.js";
export {
  InventoryError,
  formatIssuePath,
  inventoryItemSchema,
  inventorySchema,
  parseInventory,
  parseInventoryItem,
} from "./inventory.js";
