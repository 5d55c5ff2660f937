import type { Logger, ServiceMetrics } from "@stockroom/http-kit";
import { createServiceApp, healthRoute, methodNotAllowed } from "@stockroom/http-kit";
import { planRestock } from "@stockroom/restock";
import type { Express } from "express";
import express from "express";
import type { Config } from "./config.js";
import { parseRestockRequest, requireJson } from "./restock-request.js";

export interface AppDeps {
  config: Pick<Config, "apiMessage" | "restockMaxItems" | "bodyLimitBytes">;
  logger: Logger;
  /** The container's hostname: answered by /whoami and sent as X-Served-By. */
  hostname: string;
  /** The registry main.ts serves on METRICS_PORT; every request is timed into it. */
  metrics?: ServiceMetrics;
}

const GET = ["GET", "HEAD"] as const;

/** The api's routes and error handling; main.ts does the listening. */
export function createApp({ config, logger, hostname, metrics }: AppDeps): Express {
  return createServiceApp({ logger, servedBy: hostname, metrics }, (app) => {
    app
      .route("/")
      // The greeting as plain text, exactly, with no trailing newline.
      .get((_req, res) => {
        res.type("text/plain").send(config.apiMessage);
      })
      .all(methodNotAllowed(GET));

    app.use(healthRoute());

    app
      .route("/whoami")
      // The container's hostname, so a lesson can see which replica answered.
      .get((_req, res) => {
        res.json({ hostname });
      })
      .all(methodNotAllowed(GET));

    app
      .route("/restock")
      // A restock plan for the items in the JSON body. More than the byte limit
      // answers 413 before the body is parsed; restock-request.ts says what else is refused.
      .post(requireJson(), express.json({ limit: config.bodyLimitBytes }), (req, res) => {
        const { items, threshold, strategy } = parseRestockRequest(req.body, config.restockMaxItems);
        const results = planRestock(items, { threshold, strategy });
        const needRestock = results.filter((record) => record.restock).length;
        res.json({ threshold, strategy, needRestock, results });
      })
      .all(methodNotAllowed(["POST"]));
  });
}
