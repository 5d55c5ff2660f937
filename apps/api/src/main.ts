import { hostname } from "node:os";
import { createLogger, createShutdown, listen, onShutdownSignals, runService } from "@stockroom/http-kit";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

await runService("api", async () => {
  const config = loadConfig(process.env);
  const logger = createLogger("api", config.logLevel);
  const host = hostname();
  const app = createApp({ config, logger, hostname: host });
  const server = await listen(app, { port: config.port, host: config.host });
  onShutdownSignals(createShutdown({ server, logger }));
  const address = server.address();
  const where =
    typeof address === "object" && address !== null ? `http://${address.address}:${address.port}` : String(address);
  logger.info({ address: where }, `api listening on ${where}`);
});
