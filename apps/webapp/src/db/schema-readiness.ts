import type { Logger } from "@stockroom/http-kit";
import type { Sleep } from "./wait-for-schema.js";
import { waitForSchema } from "./wait-for-schema.js";

export interface SchemaReadiness {
  /** True once the schema is known to be in place (what /readyz reports). */
  isReady(): boolean;
  /**
   * Sets the schema up in the background, retrying until it works. Call at
   * start-up, and again when a query finds the tables gone; does nothing
   * while a run is already under way.
   */
  ensureInBackground(): void;
}

export interface SchemaReadinessOptions {
  ensureSchema: () => Promise<void>;
  logger: Pick<Logger, "info" | "warn" | "error">;
  /** Aborting stops any run (at shutdown). */
  signal: AbortSignal;
  sleep?: Sleep;
}

/** Tracks whether the schema is in place, and gets it there. */
export function createSchemaReadiness({
  ensureSchema,
  logger,
  signal,
  sleep,
}: SchemaReadinessOptions): SchemaReadiness {
  let ready = false;
  let running = false;
  return {
    isReady: () => ready,
    ensureInBackground() {
      ready = false;
      if (running || signal.aborted) return;
      running = true;
      waitForSchema({ ensureSchema, logger, signal, ...(sleep ? { sleep } : {}) })
        .then((outcome) => {
          ready = outcome === "ready";
        })
        .catch((err: unknown) => {
          logger.error({ err }, "setting up the database schema failed");
        })
        .finally(() => {
          running = false;
        });
    },
  };
}
