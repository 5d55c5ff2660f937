import { readFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";

export type Comparison = { identical: true; count: number } | { identical: false; difference: string };

/**
 * Parses two JSON output files and compares them value by value, record by record (so 22 and
 * 22.0, or ", " and "," between fields, do not count as differences). Reports the first difference.
 */
export async function compareOutputs(expectedPath: string, actualPath: string): Promise<Comparison> {
  const expected: unknown = JSON.parse(await readFile(expectedPath, "utf8"));
  const actual: unknown = JSON.parse(await readFile(actualPath, "utf8"));
  if (!Array.isArray(expected) || !Array.isArray(actual))
    return { identical: false, difference: "an output is not a JSON array" };

  const shared = Math.min(expected.length, actual.length);
  for (let index = 0; index < shared; index += 1) {
    if (!isDeepStrictEqual(expected[index], actual[index])) {
      return {
        identical: false,
        difference: `record #${index + 1}: Python ${JSON.stringify(expected[index])}, TypeScript ${JSON.stringify(actual[index])}`,
      };
    }
  }
  if (expected.length !== actual.length) {
    return { identical: false, difference: `Python wrote ${expected.length} records, TypeScript ${actual.length}` };
  }
  return { identical: true, count: shared };
}
