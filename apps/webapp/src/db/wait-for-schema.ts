import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "@stockroom/http-kit";
import { describeError } from "@stockroom/http-kit";

/** Waits `ms`; rejects as soon as `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

export interface WaitForSchemaOptions {
  /** One attempt, e.g. `() => ensureSchema(pool)`. */
  ensureSchema: () => Promise<void>;
  logger: Pick<Logger, "info" | "warn">;
  /** Aborting stops the loop (at shutdown). */
  signal: AbortSignal;
  /** First wait after a failure; doubles after each further failure. */
  initialDelayMs?: number;
  /** The wait never grows past this. */
  maxDelayMs?: number;
  sleep?: Sleep;
}

/**
 * Retries `ensureSchema` until it succeeds or `signal` aborts, with
 * exponential backoff (250 ms doubling up to 5 s by default) and no limit on
 * attempts: the database may take a while to start, or come back later, and
 * the webapp keeps serving 503s meanwhile. Each failure is logged at warn.
 */
export async function waitForSchema({
  ensureSchema,
  logger,
  signal,
  initialDelayMs = 250,
  maxDelayMs = 5_000,
  sleep = realSleep,
}: WaitForSchemaOptions): Promise<"ready" | "aborted"> {
  let waitMs = initialDelayMs;
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      await ensureSchema();
      logger.info({ attempt }, "database schema is ready");
      return "ready";
    } catch (err) {
      if (signal.aborted) break;
      const error = describeError(err);
      logger.warn(
        { attempt, retryInMs: waitMs, error },
        `database not ready (attempt ${attempt}): ${error}; retrying in ${waitMs} ms`,
      );
    }
    try {
      await sleep(waitMs, signal);
    } catch (err) {
      if (signal.aborted) break;
      throw err;
    }
    waitMs = Math.min(waitMs * 2, maxDelayMs);
  }
  return "aborted";
}
