import type { Server } from "node:http";
import type { Logger } from "@stockroom/http-kit";
import { createShutdown } from "@stockroom/http-kit";
import type { Pool } from "pg";
import { endPool } from "./db/pool.js";

/** How long shutdown waits for the pool; the rest of the second belongs to in-flight requests. */
export const POOL_END_TIMEOUT_MS = 200;

export interface WebappShutdownOptions {
  /** The app's server and the metrics server: both stop accepting at once. */
  servers: readonly Server[];
  logger: Logger;
  /** Ended once the servers have closed, so no request still in flight loses it. */
  pool: Pick<Pool, "end">;
  /** Aborted at the same moment: the background schema retries stop using the pool. */
  stopRetrying: AbortController;
  exit?: (code: number) => void;
}

/**
 * The webapp's shutdown routine, as main.ts wires it to SIGTERM/SIGINT: stop
 * accepting on both ports, finish in-flight requests, stop the schema
 * retries, end the pool (waiting at most POOL_END_TIMEOUT_MS), exit 0, all
 * within a second.
 */
export function createWebappShutdown({ servers, logger, pool, stopRetrying, exit }: WebappShutdownOptions) {
  return createShutdown({
    servers,
    logger,
    exit,
    release: async () => {
      stopRetrying.abort();
      if (!(await endPool(pool, POOL_END_TIMEOUT_MS))) {
        logger.warn({ timeoutMs: POOL_END_TIMEOUT_MS }, "database pool did not close in time; exiting anyway");
      }
    },
  });
}
