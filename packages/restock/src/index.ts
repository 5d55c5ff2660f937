export {
  formatIssuePath,
  InventoryError,
  inventoryItemSchema,
  inventorySchema,
  parseInventory,
  parseInventoryItem,
} from "./inventory.js";
export type { InventoryItem, PlanRestockOptions, RestockRecord, RestockStrategy } from "./rule.js";
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
