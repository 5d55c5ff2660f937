import type { Logger, stdSerializers } from "pino";
import { pino } from "pino";
import { pinoHttp } from "pino-http";

export type { Logger } from "pino";

/**
 * The one logger a service makes, in main.ts. JSON lines on stdout, written
 * synchronously: a service logs little, and at shutdown every line must be out
 * (in order) before process.exit.
 */
export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level }, pino.destination({ dest: 1, sync: true }));
}

/** A logger that writes nothing: for tests. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

const HEALTH_PATHS = new Set(["/healthz", "/readyz"]);

type SerializedRequest = ReturnType<typeof stdSerializers.req> & { proxyAddress?: string };

/**
 * pino's remoteAddress is the socket's peer: behind a proxy, always the proxy.
 * Express's req.ip is the client, read from X-Forwarded-For when the peer is
 * trusted (`trust proxy`) and the peer itself otherwise; log that, and the
 * proxy beside it.
 */
function withClientAddress(req: SerializedRequest): SerializedRequest {
  const ip = (req.raw as { ip?: string }).ip;
  if (ip !== undefined && ip !== req.remoteAddress) {
    req.proxyAddress = req.remoteAddress;
    req.remoteAddress = ip;
  }
  return req;
}

/** Logs one line per request; the healthchecks Docker runs every few seconds are left out. */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    autoLogging: { ignore: (req) => HEALTH_PATHS.has((req.url ?? "").split("?")[0] ?? "") },
    redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
    serializers: { req: withClientAddress },
    // 503 is the expected answer while a dependency is down: a warning, not an error.
    customLogLevel: (_req, res, err) =>
      err || (res.statusCode >= 500 && res.statusCode !== 503) ? "error" : res.statusCode >= 400 ? "warn" : "info",
  });
}
