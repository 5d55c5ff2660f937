import { createRestockPlanner } from "../plan-restock.js";
import type { PlanRestockOptions } from "../plan-restock.js";
import type { InventoryItem, RestockRecord } from "../types.js";
import type { Batches } from "./batches.js";

/** How many records were planned, and how many of them need restocking. */
export type RestockTally = { total: number; restocking: number };

/**
 * The records for batches of items as they arrive, batch for batch, counted into `tally` on the
 * way, so a stream of any length is planned in constant memory. Plain batches give plain batches
 * (no await at all), async ones async ones. Options are checked at once (RangeError).
 */
export function planRecords(
  batches: Batches<InventoryItem>,
  options: PlanRestockOptions,
): { records: Batches<RestockRecord>; tally: Readonly<RestockTally> } {
  const plan = createRestockPlanner(options);
  const tally: RestockTally = { total: 0, restocking: 0 };
  const planBatch = (items: readonly InventoryItem[]): RestockRecord[] => {
    tally.total += items.length;
    return items.map((item) => {
      const record = plan(item);
      if (record.restock) tally.restocking += 1;
      return record;
    });
  };
  const records = Symbol.iterator in batches ? mapEach(batches, planBatch) : mapEachAsync(batches, planBatch);
  return { records, tally };
}

function* mapEach<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

async function* mapEachAsync<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}
