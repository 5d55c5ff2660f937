/** The restock strategies, in the order the CLI lists them. */
export const RESTOCK_STRATEGIES = ["simple", "weighted"] as const;

/** How demand is estimated: `simple` uses `sales`, `weighted` the recent `sales_history`. */
export type RestockStrategy = (typeof RESTOCK_STRATEGIES)[number];

/** An item needs restocking when its stock is below demand times this factor. */
export const DEFAULT_THRESHOLD = 2;

/** The strategy used when none is given. */
export const DEFAULT_STRATEGY: RestockStrategy = "simple";
