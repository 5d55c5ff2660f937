import type { Logger } from "@stockroom/http-kit";
import type { PoolConfig } from "pg";
import { Pool } from "pg";

/**
 * Where Postgres is: either a connection URL or the libpq-style fields.
 * Both shapes are what pg's Pool takes as they are.
 */
export type DatabaseConfig =
  | { connectionString: string }
  | { host: string; port: number; user: string; database: string; password?: string };

/** The limits every pool gets; a dead database must fail a request fast, never hang it. */
const POOL_LIMITS = {
  max: 10,
  // A database that does not answer fails the page within 2 s instead of hanging it.
  connectionTimeoutMillis: 2_000,
  idleTimeoutMillis: 10_000,
  // Client-side cap on one query, and the same cap enforced by the server.
  query_timeout: 5_000,
  statement_timeout: 5_000,
  application_name: "stockroom-webapp",
} satisfies PoolConfig;

/**
 * The one pool a process holds. When the database goes away, idle clients
 * emit "error"; handling it keeps the process alive, and the pool opens new
 * connections by itself once Postgres is back.
 */
export function createPool(database: DatabaseConfig, logger: Pick<Logger, "warn">): Pool {
  const pool = new Pool({ ...database, ...POOL_LIMITS });
  pool.on("error", (err) => {
    logger.warn({ err }, "an idle database connection was lost; the pool reconnects on next use");
  });
  return pool;
}

/**
 * Ends the pool, but waits at most `timeoutMs`: a connection still being
 * opened to a host that does not answer would otherwise hold shutdown for the
 * whole connect timeout. Resolves true when the pool ended in time.
 */
export async function endPool(pool: Pick<Pool, "end">, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([pool.end().then(() => true as const), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}
