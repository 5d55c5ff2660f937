import type { AddressInfo } from "node:net";
import { Gauge } from "prom-client";
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "./logger.js";
import type { ServiceMetrics } from "./metrics.js";
import { createServiceMetrics, metricsHandler } from "./metrics.js";
import { createServiceApp, healthRoute, listen } from "./serve.js";

/** A service over `metrics` with a page, a route with a parameter, one that fails and /healthz. */
function serviceApp(metrics: ServiceMetrics) {
  return createServiceApp({ logger: silentLogger(), metrics }, (app) => {
    app.get("/", (_req, res) => {
      res.send("home");
    });
    app.get("/items/:id", (req, res) => {
      res.json({ id: req.params.id });
    });
    app.get("/boom", () => {
      throw new Error("boom");
    });
    app.use(healthRoute());
  });
}

/** What Prometheus would read from the metrics port. */
async function scrape(metrics: ServiceMetrics): Promise<string> {
  const res = await request(metricsHandler(metrics.registry, silentLogger())).get("/metrics").expect(200);
  return res.text;
}

/** The histogram's `_count` series, as `labels -> count`. */
function requestCounts(exposition: string): Record<string, number> {
  const counts = [...exposition.matchAll(/^http_request_duration_seconds_count\{([^}]*)\} (\d+)$/gm)];
  return Object.fromEntries(counts.map(([, labels, count]) => [labels, Number(count)]));
}

describe("the request histogram", () => {
  it("counts exactly the requests made, by method, route pattern and status", async () => {
    const metrics = createServiceMetrics();
    const app = serviceApp(metrics);

    await request(app).get("/").expect(200);
    await request(app).get("/").expect(200);
    await request(app).get("/items/1").expect(200);
    await request(app).get("/items/2?color=red").expect(200);
    await request(app).get("/boom").expect(500);
    await request(app).get("/healthz").expect(200);
    await request(app).post("/healthz").expect(405);

    expect(requestCounts(await scrape(metrics))).toEqual({
      'method="GET",route="/",status="200"': 2,
      'method="GET",route="/items/:id",status="200"': 2,
      'method="GET",route="/boom",status="500"': 1,
      'method="GET",route="/healthz",status="200"': 1,
      'method="POST",route="/healthz",status="405"': 1,
    });
  });

  it("puts every path no route matches in one (unmatched) series, so a scanner adds no series", async () => {
    const metrics = createServiceMetrics();
    const app = serviceApp(metrics);

    for (const path of ["/wp-login.php", "/.env", "/admin/config.php", "/items", "/x".repeat(50)]) {
      await request(app).get(path).expect(404);
    }
    await request(app).delete("/items/7").expect(404);

    const exposition = await scrape(metrics);
    expect(requestCounts(exposition)).toEqual({
      'method="GET",route="(unmatched)",status="404"': 5,
      'method="DELETE",route="(unmatched)",status="404"': 1,
    });
    expect(exposition).not.toMatch(/wp-login|\.env|admin/);
  });

  it("counts a request whose client hangs up before the answer as status 499", async () => {
    const metrics = createServiceMetrics();
    let arrived!: () => void;
    const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
    const app = createServiceApp({ logger: silentLogger(), metrics }, (routes) => {
      routes.get("/slow", (_req, res) => {
        arrived();
        setTimeout(() => res.end("too late"), 2000).unref();
      });
    });
    const server = await listen(app, { port: 0, host: "127.0.0.1" });
    try {
      const hangUp = new AbortController();
      const answer = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`, {
        signal: hangUp.signal,
      }).catch(() => "hung up");
      await slowArrived;
      hangUp.abort();
      expect(await answer).toBe("hung up");

      await vi.waitFor(async () =>
        expect(requestCounts(await scrape(metrics))).toEqual({ 'method="GET",route="/slow",status="499"': 1 }),
      );
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("GET /metrics", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is not served by the public app, only by the metrics handler, with the histogram and Node's defaults", async () => {
    const metrics = createServiceMetrics();
    const app = serviceApp(metrics);

    const publicAnswer = await request(app).get("/metrics");
    const scraped = await request(metricsHandler(metrics.registry, silentLogger())).get("/metrics");

    expect(publicAnswer.status).toBe(404);
    expect(scraped.status).toBe(200);
    expect(scraped.headers["content-type"]).toBe(metrics.registry.contentType);
    for (const metric of [
      "http_request_duration_seconds histogram",
      "nodejs_eventloop_lag_seconds gauge",
      "nodejs_heap_size_used_bytes gauge",
      "nodejs_gc_duration_seconds histogram",
    ]) {
      expect(scraped.text).toContain(`# TYPE ${metric}\n`);
    }
    // The public app's 404 is a request like any other; the scrape is not.
    expect(requestCounts(scraped.text)).toEqual({ 'method="GET",route="(unmatched)",status="404"': 1 });
  });

  it("answers HEAD without a body, other methods with 405 and other paths with 404", async () => {
    const handler = metricsHandler(createServiceMetrics().registry, silentLogger());

    const head = await request(handler).head("/metrics");
    const post = await request(handler).post("/metrics");
    const other = await request(handler).get("/");

    expect(head.status).toBe(200);
    expect(head.text).toBeUndefined();
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    expect(other.status).toBe(404);
  });

  it("answers 500 and logs why when a metric cannot be collected", async () => {
    const { registry } = createServiceMetrics();
    new Gauge({
      name: "broken_thing",
      help: "a gauge whose collect fails",
      registers: [registry],
      collect() {
        throw new Error("the thing is gone");
      },
    });
    const logger = silentLogger();
    const logged = vi.spyOn(logger, "error");

    const res = await request(metricsHandler(registry, logger)).get("/metrics");

    expect(res.status).toBe(500);
    expect(res.text).not.toContain("the thing is gone");
    expect(logged).toHaveBeenCalledOnce();
  });
});
