import type { RequestListener, Server } from "node:http";
import { createServer } from "node:http";
import type { Express } from "express";
import express, { Router } from "express";
import { errorHandler, methodNotAllowed, notFoundHandler } from "./error-handlers.js";
import type { Logger } from "./logger.js";
import { requestLogger } from "./logger.js";
import type { ServiceMetrics } from "./metrics.js";
import { requestMetrics } from "./metrics.js";
import type { SecurityHeadersOptions } from "./security-headers.js";
import { securityHeaders } from "./security-headers.js";

export interface ServiceAppOptions {
  logger: Logger;
  /** Sent as X-Served-By on every answer, so a lesson can see which replica answered. */
  servedBy?: string;
  /**
   * Express's `trust proxy`: the addresses or subnets (`10.0.0.0/24`,
   * `loopback`) whose X-Forwarded-For is believed, so `req.ip` (and the
   * request log) is the client behind them. Empty or unset: trust nobody.
   */
  trustProxy?: readonly string[];
  securityHeaders?: SecurityHeadersOptions;
  /** Times every request into the service's histogram; the app itself never serves /metrics. */
  metrics?: ServiceMetrics;
}

/**
 * The frame every service's createApp fills in: the request timer (when given
 * metrics), security headers (so 404s, 405s, 413s and 500s carry them too),
 * X-Served-By, the request log, then the service's own routes, then one 404
 * handler and one error handler.
 */
export function createServiceApp(
  { logger, servedBy, trustProxy = [], securityHeaders: headerOptions, metrics }: ServiceAppOptions,
  addRoutes: (app: Express) => void,
): Express {
  const app = express();
  app.disable("x-powered-by");
  // Never `true`: that would believe an X-Forwarded-For from anyone who can connect.
  app.set("trust proxy", trustProxy.length > 0 ? [...trustProxy] : false);
  if (metrics !== undefined) app.use(requestMetrics(metrics.httpRequestDuration));
  app.use(securityHeaders(headerOptions));
  if (servedBy !== undefined) {
    app.use((_req, res, next) => {
      res.set("X-Served-By", servedBy);
      next();
    });
  }
  app.use(requestLogger(logger));
  addRoutes(app);
  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}

/**
 * GET /healthz: the process is up and answering, and nothing more. It asks
 * no dependency, so a database outage never gets a container restarted; the
 * images' HEALTHCHECK calls it, and requestLogger leaves it out of the logs.
 */
export function healthRoute(): Router {
  const router = Router();
  router
    .route("/healthz")
    .get((_req, res) => {
      res.json({ status: "ok" });
    })
    .all(methodNotAllowed(["GET", "HEAD"]));
  return router;
}

export interface ListenOptions {
  port: number;
  host: string;
}

/** Starts an HTTP server and resolves once it is listening (rejects if the port is taken). */
export function listen(handler: RequestListener, { port, host }: ListenOptions): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

/**
 * Stops accepting connections and lets in-flight requests finish. Keep-alive
 * sockets are closed as soon as they fall idle; whatever is still open after
 * `graceMs` is cut.
 */
export function closeGracefully(server: Server, graceMs: number): Promise<"drained" | "forced"> {
  return new Promise((resolve) => {
    let forced = false;
    const sweep = setInterval(() => server.closeIdleConnections(), 20);
    const deadline = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, graceMs);
    sweep.unref();
    deadline.unref();
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(forced ? "forced" : "drained");
    });
    server.closeIdleConnections();
  });
}

export interface ShutdownOptions {
  /** Every server the service listens with (the app's, the metrics'); all close at once. */
  servers: readonly Server[];
  logger: Logger;
  /** Releases what the service holds (the database pool), after the servers have closed. */
  release?: () => Promise<void>;
  /** How long in-flight requests get before their sockets are cut. */
  graceMs?: number;
  /** When the process exits whatever is still pending. */
  deadlineMs?: number;
  exit?: (code: number) => void;
}

/**
 * Returns the shutdown routine for a service: stop accepting on every server
 * (they close side by side, so a second one costs no time), finish in-flight
 * requests, release resources, exit 0, all within about a second (Docker's
 * `stop` waits 10 s before it kills; we never make it wait). Runs once however
 * many signals arrive.
 */
export function createShutdown({
  servers,
  logger,
  release,
  graceMs = 700,
  deadlineMs = 950,
  exit = (code) => process.exit(code),
}: ShutdownOptions): (signal: string) => Promise<void> {
  let started: Promise<void> | undefined;
  const run = async (signal: string) => {
    logger.info({ signal }, "shutting down: no new connections, finishing in-flight requests");
    const hardStop = setTimeout(() => {
      logger.error({ deadlineMs }, "shutdown did not finish in time; exiting anyway");
      exit(1);
    }, deadlineMs);
    hardStop.unref();
    const closed = await Promise.all(servers.map((server) => closeGracefully(server, graceMs)));
    const how = closed.includes("forced") ? "forced" : "drained";
    try {
      await release?.();
    } catch (err) {
      logger.error({ err }, "releasing resources failed during shutdown");
    }
    clearTimeout(hardStop);
    logger.info({ requests: how }, "stopped");
    exit(0);
  };
  return (signal) => (started ??= run(signal));
}

/** Wires SIGTERM (docker stop) and SIGINT (Ctrl-C) to the shutdown routine. */
export function onShutdownSignals(shutdown: (signal: string) => Promise<void>): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => void shutdown(signal));
  }
}

/**
 * Runs a service's start-up; a configuration error prints one line naming the
 * variable and exits 1, anything else is logged by the caller's logger or printed.
 */
export async function runService(service: string, start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `${service}: ${err instanceof Error && err.name === "ConfigError" ? "" : "failed to start: "}${message}\n`,
    );
    process.exit(1);
  }
}
