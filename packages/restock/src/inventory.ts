/**
 * The restock rule's input: the item type and schemas, parseInventory (a whole array) and
 * parseInventoryItem (one streamed item), the one-line messages their InventoryError carries, and
 * how items travel in batches. Imports nothing of this package: the rule and the job import it.
 */
import { z } from "zod";

/** One line of the input file. */
export interface InventoryItem {
  item: string;
  stock: number;
  sales: number;
  /** Sales per period, oldest first. Only the weighted strategy reads it. */
  sales_history?: number[];
}

/**
 * Values in order, in batches: plain (a JSON array's slices) or async (a stream). The job's readers
 * give items this way, and its writer takes the planned records the same way.
 */
export type Batches<T> = Iterable<readonly T[]> | AsyncIterable<readonly T[]>;

function nonNegativeNumber(field: string) {
  const message = `${field} must be a number >= 0`;
  return z
    .number({ error: (issue) => (issue.input === undefined ? `${field} is required` : message) })
    .min(0, { error: message });
}

const ITEM_MESSAGE = "item must be a non-empty string";
const HISTORY_ENTRY_MESSAGE = "sales_history entries must be numbers >= 0";

const salesHistorySchema = z
  .array(z.number({ error: HISTORY_ENTRY_MESSAGE }).min(0, { error: HISTORY_ENTRY_MESSAGE }), {
    error: "sales_history must be an array of numbers >= 0, oldest first",
  })
  .min(1, { error: "sales_history must have at least one entry when present" });

/** One inventory item. Unknown keys are dropped; `item` is trimmed. */
export const inventoryItemSchema = z.object(
  {
    item: z
      .string({ error: (issue) => (issue.input === undefined ? "item is required" : ITEM_MESSAGE) })
      .trim()
      .min(1, { error: ITEM_MESSAGE }),
    stock: nonNegativeNumber("stock"),
    sales: nonNegativeNumber("sales"),
    sales_history: salesHistorySchema.optional(),
  },
  { error: "expected an object with item, stock and sales" },
) satisfies z.ZodType<InventoryItem>;

/** The whole input file: a JSON array of items. */
export const inventorySchema = z.array(inventoryItemSchema, {
  error: (issue) => `expected a JSON array of items, got ${jsonTypeName(issue.input)}`,
});

/** Thrown by parseInventory and parseInventoryItem. `message` is one line for people, `issues` is for programs. */
export class InventoryError extends Error {
  override readonly name = "InventoryError";
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(message: string, issues: readonly z.core.$ZodIssue[]) {
    super(message);
    this.issues = issues;
  }
}

/**
 * Validates parsed JSON as a list of inventory items.
 * Throws an InventoryError naming the first bad item (by 1-based position and name) and field;
 * every problem found is on `error.issues`.
 */
export function parseInventory(data: unknown): InventoryItem[] {
  if (Array.isArray(data)) {
    // Item by item first (the fast path for each, zod where it declines); only a bad item sends
    // the whole array through inventorySchema, so the error counts every problem as before.
    const items: InventoryItem[] = [];
    for (const element of data) {
      const item = plainInventoryItem(element) ?? inventoryItemSchema.safeParse(element).data;
      if (item === undefined) break;
      items.push(item);
    }
    if (items.length === data.length) return items;
  }
  const result = inventorySchema.safeParse(data);
  if (result.success) return result.data;

  const { issues } = result.error;
  throw new InventoryError(
    inventoryErrorMessage(issues, (issue) => formatInventoryIssue(issue, data)),
    issues,
  );
}

/**
 * Validates one item exactly as parseInventory validates each element of an array, for inputs
 * read one item at a time (NDJSON, CSV). `subject` says where the item came from and heads the
 * message: `line 3 ("Gadget"): sales must be a number >= 0 (got -4)`. Throws an InventoryError;
 * every problem found is on `error.issues`, with paths relative to the item.
 */
export function parseInventoryItem(data: unknown, subject: string): InventoryItem {
  const plain = plainInventoryItem(data);
  if (plain !== undefined) return plain;
  const result = inventoryItemSchema.safeParse(data);
  if (result.success) return result.data;

  const { issues } = result.error;
  const describe = (issue: z.core.$ZodIssue): string => formatItemIssue(subject, issue.message, data, issue.path);
  throw new InventoryError(inventoryErrorMessage(issues, describe), issues);
}

/**
 * The fast path of inventoryItemSchema, for the items nearly every input holds: a name, two numbers
 * and at most a plain history. It returns exactly what the schema returns (a new object, keys in
 * the schema's order, the name trimmed, unknown keys dropped) or undefined, and then the schema
 * decides: it stays the one definition of a valid item, and every message comes from it.
 * inventory.test.ts checks, over every combination of the values that matter, that this never
 * accepts what the schema rejects and returns the same item when both accept. It pays: zod's
 * generic checks, and the objects they allocate, took a tenth of a streamed run's CPU time.
 */
export function plainInventoryItem(data: unknown): InventoryItem | undefined {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
  const { item, stock, sales, sales_history: history } = data as Record<string, unknown>;
  if (typeof item !== "string" || !isNonNegativeNumber(stock) || !isNonNegativeNumber(sales)) return undefined;
  const name = item.trim();
  if (name === "") return undefined;
  if (history === undefined) {
    // The schema keeps a key that is there but undefined (`sales_history: undefined`): leave it to zod.
    return "sales_history" in data ? undefined : { item: name, stock, sales };
  }
  if (!Array.isArray(history) || history.length === 0) return undefined;
  for (let index = 0; index < history.length; index += 1) {
    if (!isNonNegativeNumber(history[index])) return undefined;
  }
  return { item: name, stock, sales, sales_history: history.slice() };
}

/** What z.number().min(0) accepts: a finite number >= 0 (NaN and Infinity fail, -0 passes). */
function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value !== Number.POSITIVE_INFINITY;
}

/** `["items", 2, "sales"]` -> `items[2].sales`, as a JavaScript reader writes it. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((key, position) => (typeof key === "number" ? `[${key}]` : `${position === 0 ? "" : "."}${String(key)}`))
    .join("");
}

/** The headline issue, plus how many more there are: `... (and 4 more problems)`. */
function inventoryErrorMessage(
  issues: readonly z.core.$ZodIssue[],
  describe: (issue: z.core.$ZodIssue) => string,
): string {
  const [first] = issues;
  const headline = first === undefined ? "invalid inventory" : describe(first);
  const more = issues.length - 1;
  return more > 0 ? `${headline} (and ${more} more ${more === 1 ? "problem" : "problems"})` : headline;
}

/**
 * One line for one issue found in the input array:
 * `item #3 ("Gadget"): sales must be a number >= 0 (got -4)`.
 * Items are counted from 1, as a person reading the file counts them.
 */
function formatInventoryIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const [index, ...fieldPath] = issue.path;
  if (typeof index !== "number") return issue.message;
  return formatItemIssue(`item #${index + 1}`, issue.message, valueAt(data, [index]), fieldPath);
}

/**
 * One line for one issue in one item, its path relative to the item, under a subject:
 * `item #3 ("Gadget"): sales must be a number >= 0 (got -4)` or `line 3 ("Gadget"): ...`.
 */
function formatItemIssue(subject: string, message: string, item: unknown, fieldPath: readonly PropertyKey[]): string {
  const named = `${subject}${nameSuffix(item)}`;
  const value = valueAt(item, fieldPath);
  if (value === undefined) return `${named}: ${message}`;

  const where = fieldPath.length > 1 ? ` at ${formatIssuePath(fieldPath)}` : "";
  return `${named}: ${message} (got ${describeValue(value)}${where})`;
}

function nameSuffix(item: unknown): string {
  if (typeof item !== "object" || item === null || !("item" in item)) return "";
  const name = item.item;
  return typeof name === "string" && name.trim() !== "" ? ` (${JSON.stringify(name.trim())})` : "";
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const MAX_SHOWN = 40;

/**
 * A short, one-line picture of a value for error messages: -4, "ten", null, an object.
 * Also used by planRestock's RangeError for a bad option.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return truncate(JSON.stringify(value));
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) {
    const json = safeJson(value);
    return json !== undefined && json.length <= MAX_SHOWN ? json : `an array of ${value.length}`;
  }
  return typeof value === "object" ? "an object" : typeof value;
}

/** The JSON type name of a value: object, array, string, number, boolean, null. */
function jsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function truncate(text: string): string {
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN - 4)}..."`;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Whether text (trimmed) is a plain decimal number: "5", "-1.5", ".5", "2e3"; not "0x10", "", "abc".
 * The one rule for numbers typed as text: CSV cells (job/read-csv.ts) and RESTOCK_THRESHOLD (job/config.ts).
 */
export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text.trim());
}
