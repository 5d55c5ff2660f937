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

  const item = valueAt(data, [index]);
  const subject = `item #${index + 1}${nameSuffix(item)}`;
  const value = valueAt(item, fieldPath);
  if (value === undefined) return `${subject}: ${issue.message}`;

  const where = fieldPath.length > 1 ? ` at ${formatPath(fieldPath)}` : "";
  return `${subject}: ${issue.message} (got ${describeValue(value)}${where})`;
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
