// The webapp's own metrics, beside the request histogram and Node's defaults
// that every service gets from http-kit. main.ts makes them once and serves
// them on METRICS_PORT; app.ts counts the visits, the api client its calls.
import type { ServiceMetrics } from "@stockroom/http-kit";
import { createServiceMetrics } from "@stockroom/http-kit";
import type { Pool } from "pg";
import { Counter, Gauge } from "prom-client";

/** How a greeting from the api ended. */
export const API_CALL_OUTCOMES = ["ok", "timeout", "unreachable", "error"] as const;
export type ApiCallOutcome = (typeof API_CALL_OUTCOMES)[number];

/** What the api client counts into. */
export type ApiCallCounter = Pick<Counter<"outcome">, "inc">;

/** What the pool gauge reads, at each scrape. */
export type PoolCounts = Pick<Pool, "totalCount" | "idleCount" | "waitingCount">;

export interface WebappMetrics extends ServiceMetrics {
  readonly visitsRecorded: Counter;
  readonly apiCalls: Counter<"outcome">;
}

/** The webapp's registry: http-kit's, plus the visits, the api calls and the database pool. */
export function createWebappMetrics(pool: PoolCounts): WebappMetrics {
  const service = createServiceMetrics();
  const registers = [service.registry];

  const visitsRecorded = new Counter({
    name: "stockroom_visits_recorded_total",
    help: "Visits recorded in the database: one per page load the database kept.",
    registers,
  });

  const apiCalls = new Counter({
    name: "stockroom_api_calls_total",
    help: "Greetings asked of the api, by outcome: ok, timeout, unreachable (no address, no connection) or error.",
    labelNames: ["outcome"],
    registers,
  });
  // Every outcome from the start, at 0: a rate over a series that appears later misses its first calls.
  for (const outcome of API_CALL_OUTCOMES) apiCalls.inc({ outcome }, 0);

  new Gauge({
    name: "stockroom_db_pool_clients",
    help: "The database pool: clients open (total) and idle, and queries waiting for a client (waiting).",
    labelNames: ["state"],
    registers,
    collect() {
      this.set({ state: "total" }, pool.totalCount);
      this.set({ state: "idle" }, pool.idleCount);
      this.set({ state: "waiting" }, pool.waitingCount);
    },
  });

  return { ...service, visitsRecorded, apiCalls };
}
