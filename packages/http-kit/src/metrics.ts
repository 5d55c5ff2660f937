// Prometheus metrics for a service: one registry per service, the request
// histogram createServiceApp fills in, and the handler that answers
// GET /metrics on a port of its own (METRICS_PORT). The public app never
// serves /metrics: what a scrape reveals (heap, request mix, routes) is for
// Prometheus, on a port that nothing publishes.
import type { RequestListener } from "node:http";
import type { Request, RequestHandler } from "express";
import { collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { Logger } from "./logger.js";

/** The route label of a request no route matched: one series, however many paths a scanner tries. */
const UNMATCHED_ROUTE = "(unmatched)";

/**
 * nginx's code for "the client closed the connection before the answer": the
 * status label of a request whose client gave up, so a slow dependency still
 * shows in the histogram when nobody waits for it.
 */
const CLIENT_CLOSED = 499;

export type HttpLabel = "method" | "route" | "status";

export interface ServiceMetrics {
  /** What GET /metrics answers: the defaults below, the histogram, and whatever the service adds. */
  readonly registry: Registry;
  readonly httpRequestDuration: Histogram<HttpLabel>;
}

/**
 * A registry of the service's own, with prom-client's default Node.js
 * metrics (event-loop lag, heap, GC, CPU, open handles) and the request
 * histogram. One per process, made in main.ts; tests make their own.
 */
export function createServiceMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequestDuration = new Histogram<HttpLabel>({
    name: "http_request_duration_seconds",
    help: "Time from a request's arrival to its answer's last byte, by method, route pattern and status.",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  return { registry, httpRequestDuration };
}

/**
 * The route pattern (`/`, `/restock`), never the raw URL, which a client
 * chooses: every path would become a series of its own. Express sets
 * `req.route` only when a route matched; a router mounted under a path adds
 * its mount point (`req.baseUrl`).
 */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return path === undefined ? UNMATCHED_ROUTE : `${req.baseUrl}${String(path)}`;
}

/**
 * Times every request into `histogram`, labelled with its method, route
 * pattern and status. /healthz and /readyz are counted like any route: each is
 * one series, and a healthcheck that slows down is worth seeing; leave them out
 * of a query with `route!~"/healthz|/readyz"`. The method is bounded too:
 * Node's parser refuses methods it does not know.
 */
export function requestMetrics(histogram: Histogram<HttpLabel>): RequestHandler {
  return (req, res, next) => {
    const stop = histogram.startTimer();
    // "close" follows "finish" for every answer, and also comes alone when the client hangs up first.
    res.once("close", () => {
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED;
      stop({ method: req.method, route: routeOf(req), status: String(status) });
    });
    next();
  };
}

/**
 * The request handler for the metrics port: GET (or HEAD) /metrics answers
 * the registry in its own content type; any other path is a 404 and any other
 * method a 405. Scrapes are not counted in the request histogram.
 */
export function metricsHandler(registry: Registry, logger: Pick<Logger, "error">): RequestListener {
  return (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found: try GET /metrics\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" }).end();
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { "Content-Type": registry.contentType, "Cache-Control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      (err: unknown) => {
        logger.error({ err }, "collecting the metrics failed");
        res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end("collecting the metrics failed\n");
      },
    );
  };
}
