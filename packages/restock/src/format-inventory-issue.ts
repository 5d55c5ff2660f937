import type { z } from "zod";
import { describeValue } from "./describe-value.js";

type Path = readonly PropertyKey[];

/**
 * One line for one issue found in the input array:
 * `item #3 ("Gadget"): sales must be a number >= 0 (got -4)`.
 * Items are counted from 1, as a person reading the file counts them.
 */
export function formatInventoryIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const [index, ...fieldPath] = issue.path;
  if (typeof index !== "number") return issue.message;
  return describeItemIssue(`item #${index + 1}`, issue.message, valueAt(data, [index]), fieldPath);
}

/**
 * One line for one issue found in a single item, its path relative to the item, under a
 * subject the caller chooses: `line 3 ("Gadget"): sales must be a number >= 0 (got -4)`.
 */
export function formatItemIssue(subject: string, issue: z.core.$ZodIssue, item: unknown): string {
  return describeItemIssue(subject, issue.message, item, issue.path);
}

function describeItemIssue(subject: string, message: string, item: unknown, fieldPath: Path): string {
  const named = `${subject}${nameSuffix(item)}`;
  const value = valueAt(item, fieldPath);
  if (value === undefined) return `${named}: ${message}`;

  const where = fieldPath.length > 1 ? ` at ${formatPath(fieldPath)}` : "";
  return `${named}: ${message} (got ${describeValue(value)}${where})`;
}

function nameSuffix(item: unknown): string {
  if (typeof item !== "object" || item === null || !("item" in item)) return "";
  const name = item.item;
  return typeof name === "string" && name.trim() !== "" ? ` (${JSON.stringify(name.trim())})` : "";
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function formatPath(path: Path): string {
  return path
    .map((key, position) => (typeof key === "number" ? `[${key}]` : `${position === 0 ? "" : "."}${String(key)}`))
    .join("");
}
