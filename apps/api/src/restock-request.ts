import { HttpError } from "@stockroom/http-kit";
import type { InventoryItem, RestockStrategy } from "@stockroom/restock";
import {
  DEFAULT_STRATEGY,
  DEFAULT_THRESHOLD,
  formatIssuePath,
  inventorySchema,
  strategySchema,
  thresholdSchema,
} from "@stockroom/restock";
import type { RequestHandler } from "express";
import { z } from "zod";

/** The body of POST /restock. The item rules are the restock package's own. */
export const restockRequestSchema = z.object(
  {
    items: inventorySchema,
    threshold: thresholdSchema.optional(),
    strategy: strategySchema.optional(),
  },
  { error: "must be a JSON object with an items array" },
);

export interface RestockRequest {
  items: InventoryItem[];
  threshold: number;
  strategy: RestockStrategy;
}

/** One problem in a request body, as the client sees it. */
export interface ValidationDetail {
  /** Where, as a JavaScript reader writes it: `items[2].sales`; empty for the body itself. */
  path: string;
  /** What is wrong there, without the field's name again: `must be a number >= 0`. */
  message: string;
}

/** At most this many details are returned, however many items are wrong. */
export const MAX_DETAILS = 20;

/**
 * The restock schemas word their messages as sentences about a field
 * (`sales must be a number >= 0`, `sales_history entries must be ...`). Next
 * to a path that already ends in that field, its name goes, so the answer
 * reads `items[2].sales: must be a number >= 0`, not `...sales: sales must`.
 */
function withoutFieldName(message: string, path: readonly PropertyKey[]): string {
  const field = path.findLast((key) => typeof key === "string");
  return field !== undefined && message.startsWith(`${field} `) ? message.slice(field.length + 1) : message;
}

/**
 * A 400 for a body that failed the schema. Every problem is `where: what`:
 * the details list each one (path and message), the error is the first one
 * written out (`items[2].sales: must be a number >= 0`; `request body: ...`
 * when it is the body itself).
 */
function validationError(error: z.ZodError): HttpError {
  const details: ValidationDetail[] = error.issues.slice(0, MAX_DETAILS).map((issue) => ({
    path: formatIssuePath(issue.path),
    message: withoutFieldName(issue.message, issue.path),
  }));
  const [first] = details;
  return new HttpError(400, `${first?.path || "request body"}: ${first?.message ?? "is invalid"}`, details);
}

/**
 * Checks a parsed JSON body: more than `maxItems` items is a 413 (counted
 * before the items are checked, so an oversized batch is not validated item
 * by item), anything invalid a 400 naming the field. Defaults filled in.
 */
export function parseRestockRequest(body: unknown, maxItems: number): RestockRequest {
  const items = typeof body === "object" && body !== null && "items" in body ? body.items : undefined;
  if (Array.isArray(items) && items.length > maxItems) {
    throw new HttpError(413, `too many items: got ${items.length}, the limit is ${maxItems} per request`);
  }
  const result = restockRequestSchema.safeParse(body);
  if (!result.success) throw validationError(result.error);
  return {
    items: result.data.items,
    threshold: result.data.threshold ?? DEFAULT_THRESHOLD,
    strategy: result.data.strategy ?? DEFAULT_STRATEGY,
  };
}

/** 415 unless the request says its body is application/json. */
export function requireJson(): RequestHandler {
  return (req, _res, next) => {
    if (req.is("application/json") === "application/json") {
      next();
      return;
    }
    const got = req.get("content-type");
    const sent = got === undefined ? "no Content-Type" : `Content-Type ${got}`;
    next(new HttpError(415, `send the body as JSON with Content-Type: application/json (got ${sent})`));
  };
}
