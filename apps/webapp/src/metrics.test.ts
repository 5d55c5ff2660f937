import { metricsHandler, silentLogger } from "@stockroom/http-kit";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import type { PoolCounts } from "./metrics.js";
import { createWebappMetrics } from "./metrics.js";
import { createFakeApiClient, createFakeVisitStore } from "./testing/fakes.js";

/** The page over fakes, timing into fresh metrics over a pool that is `pool`. */
function setup(pool: PoolCounts = { totalCount: 0, idleCount: 0, waitingCount: 0 }) {
  const metrics = createWebappMetrics(pool);
  const visits = createFakeVisitStore();
  const app = createApp({
    visits,
    api: createFakeApiClient(),
    logger: silentLogger(),
    hostname: "webapp-1a2b",
    apiUrl: "http://api:5001",
    metrics,
  });
  /** What Prometheus reads on METRICS_PORT. */
  const scrape = () => request(metricsHandler(metrics.registry, silentLogger())).get("/metrics");
  return { app, visits, scrape };
}

/** The lines of `exposition` for `metric`, without its HELP and TYPE. */
const series = (exposition: string, metric: string) =>
  exposition.split("\n").filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `));

describe("the webapp's metrics", () => {
  it("are served on the metrics port only: the page's port answers GET /metrics with a 404", async () => {
    const { app, scrape } = setup();

    const publicAnswer = await request(app).get("/metrics");
    const scraped = await scrape();

    expect(publicAnswer.status).toBe(404);
    expect(scraped.status).toBe(200);
    expect(scraped.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const metric of [
      "http_request_duration_seconds histogram",
      "nodejs_eventloop_lag_seconds gauge",
      "nodejs_heap_size_used_bytes gauge",
      "stockroom_visits_recorded_total counter",
      "stockroom_api_calls_total counter",
      "stockroom_db_pool_clients gauge",
    ]) {
      expect(scraped.text).toContain(`# TYPE ${metric}\n`);
    }
  });

  it("time every request by route pattern and status", async () => {
    const { app, visits, scrape } = setup();

    await request(app).get("/").expect(200);
    await request(app).get("/").expect(200);
    await request(app).head("/").expect(200);
    await request(app).get("/api/visits").expect(200);
    await request(app).get("/healthz").expect(200);
    await request(app).get("/no-such-page").expect(404);
    visits.down = true;
    await request(app).get("/").expect(503);

    expect(series((await scrape()).text, "http_request_duration_seconds_count")).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/",status="200"} 2',
      'http_request_duration_seconds_count{method="HEAD",route="/",status="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/api/visits",status="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="(unmatched)",status="404"} 1',
      'http_request_duration_seconds_count{method="GET",route="/",status="503"} 1',
    ]);
  });

  it("count one visit per page load the database kept: not a HEAD, not a page the database failed", async () => {
    const { app, visits, scrape } = setup();
    expect(series((await scrape()).text, "stockroom_visits_recorded_total")).toEqual([
      "stockroom_visits_recorded_total 0",
    ]);

    await request(app).get("/").expect(200);
    await request(app).get("/").expect(200);
    await request(app).head("/").expect(200);
    await request(app).get("/api/visits").expect(200);
    visits.down = true;
    await request(app).get("/").expect(503);

    expect(visits.visits).toHaveLength(2);
    expect(series((await scrape()).text, "stockroom_visits_recorded_total")).toEqual([
      "stockroom_visits_recorded_total 2",
    ]);
  });

  it("read the pool's clients at each scrape", async () => {
    const pool = { totalCount: 3, idleCount: 1, waitingCount: 0 };
    const { scrape } = setup(pool);

    const first = series((await scrape()).text, "stockroom_db_pool_clients");
    pool.totalCount = 10;
    pool.idleCount = 0;
    pool.waitingCount = 4;
    const second = series((await scrape()).text, "stockroom_db_pool_clients");

    expect(first).toEqual([
      'stockroom_db_pool_clients{state="total"} 3',
      'stockroom_db_pool_clients{state="idle"} 1',
      'stockroom_db_pool_clients{state="waiting"} 0',
    ]);
    expect(second).toEqual([
      'stockroom_db_pool_clients{state="total"} 10',
      'stockroom_db_pool_clients{state="idle"} 0',
      'stockroom_db_pool_clients{state="waiting"} 4',
    ]);
  });

  it("list every api call outcome from the start, at 0", async () => {
    const { scrape } = setup();

    expect(series((await scrape()).text, "stockroom_api_calls_total")).toEqual([
      'stockroom_api_calls_total{outcome="ok"} 0',
      'stockroom_api_calls_total{outcome="timeout"} 0',
      'stockroom_api_calls_total{outcome="unreachable"} 0',
      'stockroom_api_calls_total{outcome="error"} 0',
    ]);
  });
});
