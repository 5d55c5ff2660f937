import type { z } from "zod";

/** The headline issue, plus how many more there are: `... (and 4 more problems)`. */
export function inventoryErrorMessage(issues: readonly z.core.$ZodIssue[], describe: (issue: z.core.$ZodIssue) => string): string {
  const [first] = issues;
  const headline = first === undefined ? "invalid inventory" : describe(first);
  const more = issues.length - 1;
  return more > 0 ? `${headline} (and ${more} more ${more === 1 ? "problem" : "problems"})` : headline;
}
