import type { RestockStrategy } from "../constants.js";
import type { StrategyFn } from "./strategy.js";
import { simpleRestock } from "./simple.js";
import { weightedRestock } from "./weighted.js";

/** Every strategy by name; adding a name to RESTOCK_STRATEGIES without one here fails to compile. */
export const strategies: Readonly<Record<RestockStrategy, StrategyFn>> = {
  simple: simpleRestock,
  weighted: weightedRestock,
};
