import type { Env, LogLevel } from "@stockroom/http-kit";
import {
  envLogLevel,
  envMetricsPort,
  envNonBlank,
  envPort,
  envPositiveInt,
  parseEnv,
  requireSeparateMetricsPort,
} from "@stockroom/http-kit";
import { z } from "zod";

/** The hard ceiling on RESTOCK_MAX_ITEMS, so a typo cannot ask for gigabytes of body. */
export const MAX_RESTOCK_ITEMS_CEILING = 1_000_000;

/**
 * Bytes of JSON one inventory item may take on average, with room for a long
 * `sales_history` and pretty-printing: `{"item":"Widget","stock":5,"sales":10}`
 * is about 40 bytes, with a year of weekly history about 250.
 */
export const BYTES_PER_ITEM = 512;

/** Room for the envelope around the items: `threshold`, `strategy`, whitespace. */
export const BODY_ENVELOPE_BYTES = 16 * 1024;

/** The largest POST /restock body accepted, derived from the item limit. */
export function bodyLimitFor(maxItems: number): number {
  return maxItems * BYTES_PER_ITEM + BODY_ENVELOPE_BYTES;
}

const envSchema = requireSeparateMetricsPort(
  z.object({
    PORT: envPort(5001),
    // 0.0.0.0, all interfaces: inside a container 127.0.0.1 is the container's
    // own loopback, unreachable from the webapp container or a published port.
    HOST: envNonBlank("0.0.0.0"),
    // GET /metrics, for Prometheus, on a port of its own on HOST.
    METRICS_PORT: envMetricsPort,
    LOG_LEVEL: envLogLevel,
    // Not trimmed: GET / answers exactly this text. Lessons and tests change it.
    API_MESSAGE: envNonBlank("Hello from the API container!", { trim: false }),
    RESTOCK_MAX_ITEMS: envPositiveInt(10_000).pipe(
      z.number().max(MAX_RESTOCK_ITEMS_CEILING, `must be at most ${MAX_RESTOCK_ITEMS_CEILING}`),
    ),
  }),
);

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Where GET /metrics answers, on `host` too. */
  readonly metricsPort: number;
  readonly logLevel: LogLevel;
  readonly apiMessage: string;
  /** Most items one POST /restock may carry; more answers 413. */
  readonly restockMaxItems: number;
  /** Most bytes one POST /restock body may have; more answers 413. */
  readonly bodyLimitBytes: number;
}

/**
 * Reads the service's settings from `env` once, at start-up. Throws a
 * ConfigError naming the first bad variable. Nothing else reads process.env.
 */
export function loadConfig(env: Env): Config {
  const parsed = parseEnv(envSchema, env);
  return Object.freeze({
    port: parsed.PORT,
    host: parsed.HOST,
    metricsPort: parsed.METRICS_PORT,
    logLevel: parsed.LOG_LEVEL,
    apiMessage: parsed.API_MESSAGE,
    restockMaxItems: parsed.RESTOCK_MAX_ITEMS,
    bodyLimitBytes: bodyLimitFor(parsed.RESTOCK_MAX_ITEMS),
  });
}
