import type { RestockStrategy } from "../constants.js";
import type { RestockRecord } from "../types.js";

/** The two stdout lines of a successful run. */
export function formatSummary(
  records: readonly RestockRecord[],
  outputFile: string,
  threshold: number,
  strategy: RestockStrategy,
): string {
  const total = records.length;
  const needing = records.filter((record) => record.restock).length;
  return (
    `Processed ${total} inventory items. Results saved to ${outputFile}\n` +
    `${needing} of ${total} items need restocking (threshold ${threshold}, strategy ${strategy}).\n`
  );
}
