import { hostname } from "node:os";
import { createLogger, listen, metricsHandler, onShutdownSignals, runService } from "@stockroom/http-kit";
import { createApp } from "./app.js";
import { createApiClient } from "./clients/api-client.js";
import { describeDatabase, loadConfig } from "./config.js";
import { createPool } from "./db/pool.js";
import { ensureSchema } from "./db/schema.js";
import { createSchemaReadiness } from "./db/schema-readiness.js";
import { createVisitStore } from "./db/visit-store.js";
import { createWebappMetrics } from "./metrics.js";
import { createWebappShutdown } from "./shutdown.js";

await runService("webapp", async () => {
  const config = loadConfig(process.env);
  const logger = createLogger("webapp", config.logLevel);
  const pool = createPool(config.database, logger);
  const metrics = createWebappMetrics(pool);
  const api = createApiClient({ baseUrl: config.apiUrl, timeoutMs: config.apiTimeoutMs, calls: metrics.apiCalls });

  const stopRetrying = new AbortController();
  const schema = createSchemaReadiness({ ensureSchema: () => ensureSchema(pool), logger, signal: stopRetrying.signal });
  const app = createApp({
    visits: createVisitStore(pool),
    api,
    logger,
    hostname: hostname(),
    apiUrl: config.apiUrl,
    trustProxy: config.trustProxy,
    isReady: schema.isReady,
    metrics,
    onSchemaMissing: () => {
      logger.warn("the visit tables are gone (was the database recreated?); setting them up again");
      schema.ensureInBackground();
    },
  });

  // Listen first: while Postgres is still starting the page answers 503
  // and /healthz 200, instead of the container failing to start.
  const server = await listen(app, { port: config.port, host: config.host });
  // GET /metrics, for Prometheus, on a second port: the page's port never serves it.
  const metricsServer = await listen(metricsHandler(metrics.registry, logger), {
    port: config.metricsPort,
    host: config.host,
  });
  logger.info(
    {
      port: config.port,
      host: config.host,
      metricsPort: config.metricsPort,
      apiUrl: config.apiUrl,
      database: describeDatabase(config.database),
    },
    `webapp listening on http://${config.host}:${config.port}`,
  );

  onShutdownSignals(createWebappShutdown({ servers: [server, metricsServer], logger, pool, stopRetrying }));

  // In the background, retrying until Postgres answers; /readyz says 503 until then.
  schema.ensureInBackground();
});
