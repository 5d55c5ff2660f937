// One-shot: creates the webapp's tables, waiting for Postgres if it is still
// starting, then exits 0. Compose runs it as the `migrate` service, and the
// webapp waits for it with `condition: service_completed_successfully`.
// (The webapp also runs the same idempotent step itself on start, so it works
// without Compose too.)
import { createLogger, runService } from "@stockroom/http-kit";
import { loadConfig } from "./config.js";
import { createPool, endPool } from "./db/pool.js";
import { ensureSchema } from "./db/schema.js";
import { waitForSchema } from "./db/wait-for-schema.js";

/** How long to wait for the database before failing, so `docker compose up` reports it instead of hanging. */
const GIVE_UP_AFTER_MS = 90_000;

await runService("migrate", async () => {
  const config = loadConfig(process.env);
  const logger = createLogger("migrate", config.logLevel);
  const pool = createPool(config.database, logger);

  const interrupted = new AbortController();
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => interrupted.abort());
  const outcome = await waitForSchema({
    ensureSchema: () => ensureSchema(pool),
    logger,
    signal: AbortSignal.any([interrupted.signal, AbortSignal.timeout(GIVE_UP_AFTER_MS)]),
  });
  await endPool(pool, 1_000);
  if (outcome !== "ready") {
    throw new Error(
      interrupted.signal.aborted
        ? "interrupted before the schema was ready"
        : `the database did not accept the schema within ${GIVE_UP_AFTER_MS / 1000} s`,
    );
  }
});
