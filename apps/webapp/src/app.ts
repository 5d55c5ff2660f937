import type { Logger } from "@stockroom/http-kit";
import { createServiceApp, describeError, healthRoute, methodNotAllowed } from "@stockroom/http-kit";
import type { Express, RequestHandler, Response } from "express";
import type { ApiClient } from "./clients/api-client.js";
import type { VisitStore } from "./db/visit-store.js";
import { DatabaseUnavailableError } from "./db/visit-store.js";
import type { WebappMetrics } from "./metrics.js";
import { renderDatabaseUnavailablePage, renderHomePage } from "./views/pages.js";

export interface AppDeps {
  visits: VisitStore;
  api: ApiClient;
  logger: Logger;
  /** This container's hostname, shown on the page and sent as X-Served-By. */
  hostname: string;
  /** Whose X-Forwarded-For to believe (Config.trustProxy); none by default. */
  trustProxy?: readonly string[];
  /** Where the api is, shown when it cannot be reached. */
  apiUrl: string;
  /** True once the schema is in place; /readyz answers 503 until then. */
  isReady?: () => boolean;
  /** Called when a query finds the tables gone (the database was recreated). */
  onSchemaMissing?: () => void;
  /** Requests are timed and visits counted into it; main.ts serves it on METRICS_PORT, never here. */
  metrics?: WebappMetrics;
}

const GET = ["GET", "HEAD"] as const;

function sendHtml(res: Response, status: number, page: string): void {
  res.status(status).type("html").send(page);
}

/** Every answer is about the current state of things: never cache any of it. */
const noStore: RequestHandler = (_req, res, next) => {
  res.set("Cache-Control", "no-store");
  next();
};

/** The webapp's routes, over the given store and client; main.ts listens. */
export function createApp({
  visits,
  api,
  logger,
  hostname,
  apiUrl,
  trustProxy = [],
  isReady = () => true,
  onSchemaMissing = () => {},
  metrics,
}: AppDeps): Express {
  /** Logs why the database part failed; rethrows anything that is not the database being unavailable. */
  const databaseFailed = (err: unknown, what: string): void => {
    if (!(err instanceof DatabaseUnavailableError)) throw err;
    logger.warn({ error: describeError(err) }, `${what} answered 503: database unavailable`);
    if (err.schemaMissing) onSchemaMissing();
  };

  // Our pages load nothing from anywhere; the inline style is all they need.
  // X-Served-By: which replica answered, once several sit behind the proxy.
  const options = { logger, servedBy: hostname, trustProxy, securityHeaders: { inlineStyles: true }, metrics };
  return createServiceApp(options, (app) => {
    app.use(noStore);

    app
      .route("/")
      // Express would run the GET handler for HEAD, so every uptime check or
      // link preview asking HEAD / would count as a visit. HEAD answers the
      // page's headers and asks neither the database nor the api.
      .head((_req, res) => {
        res.status(200).type("html").end();
      })
      .get(async (_req, res) => {
        try {
          // The greeting never rejects, so only the database can fail this.
          const [{ visit, total, recentVisits }, greeting] = await Promise.all([
            visits.recordVisit(),
            api.fetchGreeting(),
          ]);
          metrics?.visitsRecorded.inc();
          // Which row this page load wrote: lets a client (or a load test) check it was kept.
          res.set("X-Visit-Id", String(visit.id));
          sendHtml(res, 200, renderHomePage({ greeting, apiUrl, hostname, total, recentVisits }));
        } catch (err) {
          databaseFailed(err, "the page");
          sendHtml(res, 503, renderDatabaseUnavailablePage({ hostname }));
        }
      })
      .all(methodNotAllowed(GET));

    app
      .route("/api/visits")
      .get(async (_req, res) => {
        try {
          const [total, recent] = await Promise.all([visits.countVisits(), visits.listRecentVisits()]);
          res.json({
            total,
            visits: recent.map((visit) => ({ id: visit.id, visitedAt: visit.visitedAt.toISOString() })),
          });
        } catch (err) {
          databaseFailed(err, "/api/visits");
          res.status(503).json({ error: "the database is not reachable right now" });
        }
      })
      .all(methodNotAllowed(GET));

    // Up while the process is; /readyz below is what follows the database.
    app.use(healthRoute());

    app
      .route("/readyz")
      .get(async (_req, res) => {
        if (!isReady()) {
          res.status(503).json({ status: "unavailable", error: "the database schema is not ready yet" });
          return;
        }
        try {
          await visits.ping();
          res.json({ status: "ready" });
        } catch (err) {
          res.status(503).json({ status: "unavailable", error: describeError(err) });
        }
      })
      .all(methodNotAllowed(GET));
  });
}
