import { createServiceMetrics, metricsHandler, silentLogger } from "@stockroom/http-kit";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

const HOSTNAME = "api-test-1";

function makeApp(env: Record<string, string> = {}) {
  return createApp({ config: loadConfig(env), logger: silentLogger(), hostname: HOSTNAME });
}

describe("GET /", () => {
  it("answers the greeting as plain text, exactly", async () => {
    const res = await request(makeApp()).get("/");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.text).toBe("Hello from the API container!");
  });

  it("answers the greeting set by API_MESSAGE", async () => {
    const res = await request(makeApp({ API_MESSAGE: "Hello from lesson 4" })).get("/");
    expect(res.status).toBe(200);
    expect(res.text).toBe("Hello from lesson 4");
  });
});

describe("GET /healthz", () => {
  it("answers status ok as JSON", async () => {
    const res = await request(makeApp()).get("/healthz");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: "ok" });
  });
});

describe("GET /whoami", () => {
  it("answers the container's hostname", async () => {
    const res = await request(makeApp()).get("/whoami");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ hostname: HOSTNAME });
  });
});

describe("unknown routes and wrong methods", () => {
  it("answers an unknown path with a JSON 404", async () => {
    const res = await request(makeApp()).get("/no-such-page");
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: "Not found: GET /no-such-page" });
  });

  it.each([
    ["post", "/", "GET, HEAD"],
    ["put", "/healthz", "GET, HEAD"],
    ["delete", "/whoami", "GET, HEAD"],
    ["get", "/restock", "POST"],
  ] as const)("answers %s %s with a JSON 405 and Allow: %s", async (method, path, allow) => {
    const res = await request(makeApp())[method](path);
    expect(res.status).toBe(405);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers.allow).toBe(allow);
    expect(res.body.error).toContain(`Method ${method.toUpperCase()} is not allowed on ${path}`);
  });

  it("answers HEAD on a GET route", async () => {
    const res = await request(makeApp()).head("/healthz");
    expect(res.status).toBe(200);
  });

  it("does not advertise Express", async () => {
    const res = await request(makeApp()).get("/");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });
});

describe("metrics", () => {
  it("times each request by route pattern, and leaves GET /metrics to the metrics port", async () => {
    const metrics = createServiceMetrics();
    const app = createApp({ config: loadConfig({}), logger: silentLogger(), hostname: HOSTNAME, metrics });

    await request(app).get("/").expect(200);
    await request(app).post("/restock").send({ items: [] }).expect(200);
    const publicAnswer = await request(app).get("/metrics");
    const scraped = await request(metricsHandler(metrics.registry, silentLogger())).get("/metrics");

    expect(publicAnswer.status).toBe(404);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
    const counts = scraped.text.split("\n").filter((line) => line.startsWith("http_request_duration_seconds_count"));
    expect(counts).toEqual([
      'http_request_duration_seconds_count{method="GET",route="/",status="200"} 1',
      'http_request_duration_seconds_count{method="POST",route="/restock",status="200"} 1',
      'http_request_duration_seconds_count{method="GET",route="(unmatched)",status="404"} 1',
    ]);
  });
});
