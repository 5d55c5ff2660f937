import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "./logger.js";

/** An error whose message is safe to show the client, with the HTTP status it maps to. */
export class HttpError extends Error {
  override name = "HttpError";

  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * One readable line for any thrown value, for logs and status answers.
 *
 * Node reports a refused connection to a name with several addresses
 * (localhost is ::1 and 127.0.0.1) as an AggregateError with an empty
 * message; its inner errors are what says what happened.
 */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.message === "" && err.errors.length > 0) {
    return [...new Set(err.errors.map(describeError))].join("; ");
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return err.message || (typeof code === "string" ? code : err.name);
  }
  return String(err);
}

/** The last route: anything unmatched is a JSON 404. */
export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    res.status(404).json({ error: `Not found: ${req.method} ${req.path}` });
  };
}

/** For `router.route(path)...all(methodNotAllowed([...]))`: a JSON 405 with an Allow header. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = allowed.join(", ");
  return (req, res) => {
    res
      .status(405)
      .set("Allow", allow)
      .json({ error: `Method ${req.method} is not allowed on ${req.path}; allowed: ${allow}` });
  };
}

type ParserError = Error & { type?: string; status?: number; statusCode?: number; limit?: number; expose?: boolean };

/** Errors raised by express's own body parsers, mapped to what the client did wrong. */
function describeParserError(err: ParserError): { status: number; message: string } | undefined {
  switch (err.type) {
    case "entity.parse.failed":
      return { status: 400, message: "request body is not valid JSON" };
    case "entity.too.large":
      return { status: 413, message: `request body is larger than the limit of ${err.limit ?? "?"} bytes` };
    case "encoding.unsupported":
    case "charset.unsupported":
      return { status: 415, message: err.message };
    default:
      return undefined;
  }
}

/**
 * The one error middleware, mounted last. Client errors answer with their
 * message; anything else is logged with its stack and answers a plain 500, so
 * no stack trace or internal path reaches a response.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof HttpError) {
      res
        .status(err.status)
        .json({ error: err.message, ...(err.details === undefined ? {} : { details: err.details }) });
      return;
    }
    const parserError = err instanceof Error ? describeParserError(err as ParserError) : undefined;
    if (parserError) {
      res.status(parserError.status).json({ error: parserError.message });
      return;
    }
    const status = (err as ParserError)?.status ?? (err as ParserError)?.statusCode;
    if (typeof status === "number" && status >= 400 && status < 500 && (err as ParserError).expose) {
      res.status(status).json({ error: (err as Error).message });
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, "request failed");
    res.status(500).json({ error: "internal server error" });
  };
}
