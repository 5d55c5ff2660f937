import { hostname } from "node:os";
import {
  createLogger,
  createServiceMetrics,
  createShutdown,
  listen,
  metricsHandler,
  onShutdownSignals,
  runService,
} from "@stockroom/http-kit";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

await runService("api", async () => {
  const config = loadConfig(process.env);
  const logger = createLogger("api", config.logLevel);
  const host = hostname();
  const metrics = createServiceMetrics();
  const app = createApp({ config, logger, hostname: host, metrics });
  const server = await listen(app, { port: config.port, host: config.host });
  // GET /metrics, for Prometheus, on a second port: the app's own port never serves it.
  const metricsServer = await listen(metricsHandler(metrics.registry, logger), {
    port: config.metricsPort,
    host: config.host,
  });
  onShutdownSignals(createShutdown({ servers: [server, metricsServer], logger }));
  const address = server.address();
  const where =
    typeof address === "object" && address !== null ? `http://${address.address}:${address.port}` : String(address);
  logger.info({ address: where, metricsPort: config.metricsPort }, `api listening on ${where}`);
});
