import type { Logger } from "@stockroom/http-kit";
import {
  errorHandler,
  healthRoute,
  methodNotAllowed,
  notFoundHandler,
  requestLogger,
  securityHeaders,
} from "@stockroom/http-kit";
import { planRestock } from "@stockroom/restock";
import type { Express, RequestHandler } from "express";
import express from "express";
import type { Config } from "./config.js";
import { parseRestockRequest, requireJson } from "./restock-request.js";

export interface AppDeps {
  config: Pick<Config, "apiMessage" | "restockMaxItems" | "bodyLimitBytes">;
  logger: Logger;
  /** The container's hostname: answered by /whoami and sent as X-Served-By. */
  hostname: string;
}

const GET = ["GET", "HEAD"] as const;

/** Stamps every response with the replica that answered, for the scaling lessons. */
function servedBy(hostname: string): RequestHandler {
  return (_req, res, next) => {
    res.set("X-Served-By", hostname);
    next();
  };
}

/** The api's routes and error handling; main.ts does the listening. */
export function createApp({ config, logger, hostname }: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  // First, so every answer carries them: 404s, 405s, 413s and 500s included.
  app.use(securityHeaders());
  app.use(servedBy(hostname));
  app.use(requestLogger(logger));

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

  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
