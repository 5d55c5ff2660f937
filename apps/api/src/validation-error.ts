import { HttpError } from "@stockroom/http-kit";
import type { z } from "zod";

/** One problem in a request body, as the client sees it. */
export interface ValidationDetail {
  /** Dotted path into the body, e.g. `items.2.sales`; empty for the body itself. */
  path: string;
  message: string;
}

/** At most this many details are returned, however many items are wrong. */
export const MAX_DETAILS = 20;

/** `["items", 2, "sales"]` -> `items[2].sales`, as a JavaScript reader writes it. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, position) => (typeof key === "number" ? `[${key}]` : `${position === 0 ? "" : "."}${String(key)}`))
    .join("");
}

/**
 * A 400 for a body that failed `schema.safeParse`: the message names the first
 * problem (`items[2].sales: sales must be a number >= 0`), the details list
 * each problem with its dotted path.
 */
export function validationError(error: z.ZodError): HttpError {
  const [first] = error.issues;
  const where = first === undefined || first.path.length === 0 ? "request body" : formatPath(first.path);
  const details: ValidationDetail[] = error.issues.slice(0, MAX_DETAILS).map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  return new HttpError(400, `${where}: ${first?.message ?? "is invalid"}`, details);
}
