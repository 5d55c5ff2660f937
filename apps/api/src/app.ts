import { errorHandler, notFoundHandler, requestLogger, securityHeaders } from "@stockroom/http-kit";
import type { Logger } from "@stockroom/http-kit";
import express from "express";
import type { Express } from "express";
import type { Config } from "./config.js";
import { greetingRoutes } from "./routes/greeting.js";
import { healthRoutes } from "./routes/health.js";
import { restockRoutes } from "./routes/restock.js";
import { whoamiRoutes } from "./routes/whoami.js";
import { servedBy } from "./served-by.js";

export interface AppOptions {
  config: Pick<Config, "apiMessage" | "restockMaxItems" | "bodyLimitBytes">;
  logger: Logger;
  /** The container's hostname: answered by /whoami and sent as X-Served-By. */
  hostname: string;
}

/** The api's Express app, routes and error handling; main.ts does the listening. */
export function createApp({ config, logger, hostname }: AppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  // First, so every answer carries them: 404s, 405s, 413s and 500s included.
  app.use(securityHeaders());
  app.use(servedBy(hostname));
  app.use(requestLogger(logger));

  app.use(greetingRoutes(config.apiMessage));
  app.use(healthRoutes());
  app.use(whoamiRoutes(hostname));
  app.use(restockRoutes({ maxItems: config.restockMaxItems, bodyLimitBytes: config.bodyLimitBytes }));

  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
