import type { RestockStrategy } from "../constants.js";
import type { RestockTally } from "./plan-records.js";

/** The two stdout lines of a successful run. */
export function formatSummary(tally: RestockTally, outputFile: string, threshold: number, strategy: RestockStrategy): string {
  const { total, restocking } = tally;
  return (
    `Processed ${total} inventory items. Results saved to ${outputFile}\n` +
    `${restocking} of ${total} items need restocking (threshold ${threshold}, strategy ${strategy}).\n`
  );
}
