const MAX_SHOWN = 40;

/** A short, one-line picture of a value for error messages: -4, "ten", null, an object. */
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
export function jsonTypeName(value: unknown): string {
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
