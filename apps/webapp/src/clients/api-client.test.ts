import { afterEach, describe, expect, it } from "vitest";
import { createWebappMetrics } from "../metrics.js";
import { closedPort, closeServers, serve, unansweringPort } from "../testing/servers.js";
import type { ApiClientOptions } from "./api-client.js";
import { createApiClient } from "./api-client.js";

// What the page relies on: the greeting, or why there is none. How requests
// are spread over the api's replicas is proved in replica-rotation.test.ts.
afterEach(closeServers);

describe("createApiClient().fetchGreeting", () => {
  it("returns the api's message and the container that answered (X-Served-By)", async () => {
    const seen: { path?: string; connection?: string } = {};
    const baseUrl = await serve((req, res) => {
      seen.path = req.url;
      seen.connection = req.headers.connection;
      res.writeHead(200, { "Content-Type": "text/plain", "X-Served-By": "api-3f9a" }).end("Hello from the api\n");
    });

    const greeting = await createApiClient({ baseUrl, timeoutMs: 1000 }).fetchGreeting();

    expect(greeting).toEqual({ ok: true, message: "Hello from the api", servedBy: "api-3f9a" });
    expect(seen.path).toBe("/");
    expect(seen.connection).toBe("keep-alive");
  });

  it("keeps a body that looks like JSON as text", async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"message":"hi"}');
    });

    const greeting = await createApiClient({ baseUrl, timeoutMs: 1000 }).fetchGreeting();

    expect(greeting).toEqual({ ok: true, message: '{"message":"hi"}' });
  });

  it("leaves servedBy out when the api does not say", async () => {
    const baseUrl = await serve((_req, res) => {
      res.end("hi");
    });

    const greeting = await createApiClient({ baseUrl, timeoutMs: 1000 }).fetchGreeting();

    expect(greeting).toEqual({ ok: true, message: "hi" });
  });

  it("refuses an answer far bigger than a line of text", async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" }).end("x".repeat(200_000));
    });

    const greeting = await createApiClient({ baseUrl, timeoutMs: 1000 }).fetchGreeting();

    expect(greeting).toEqual({ ok: false, error: "the api's answer is over 65536 bytes" });
  });

  it("turns an error status into an error naming the status", async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(500).end("boom");
    });

    const greeting = await createApiClient({ baseUrl, timeoutMs: 1000 }).fetchGreeting();

    expect(greeting).toEqual({ ok: false, error: "api answered 500" });
  });

  it("does not follow a redirect: it names the status", async () => {
    const elsewhere = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" }).end("somewhere else");
    });
    const baseUrl = await serve((_req, res) => {
      res.writeHead(302, { Location: `${elsewhere}/` }).end();
    });

    const greeting = await createApiClient({ baseUrl, timeoutMs: 1000 }).fetchGreeting();

    expect(greeting).toEqual({ ok: false, error: "api answered 302" });
  });

  it("gives up after the timeout and says so, naming the URL", async () => {
    const baseUrl = await serve((_req, res) => {
      setTimeout(() => res.end("too late"), 1500).unref();
    });
    const started = Date.now();

    const greeting = await createApiClient({ baseUrl, timeoutMs: 200 }).fetchGreeting();

    expect(greeting).toEqual({ ok: false, error: `timed out after 200 ms (${baseUrl})` });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("times out a response that trickles in slower than the deadline", async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" });
      const drip = setInterval(() => res.write("."), 50);
      res.on("close", () => clearInterval(drip));
    });

    const greeting = await createApiClient({ baseUrl, timeoutMs: 200 }).fetchGreeting();

    expect(greeting).toEqual({ ok: false, error: `timed out after 200 ms (${baseUrl})` });
  });

  it("reports a refused connection", async () => {
    const port = await closedPort();

    const greeting = await createApiClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 }).fetchGreeting();

    expect(greeting).toEqual({ ok: false, error: `ECONNREFUSED 127.0.0.1:${port}` });
  });

  // .invalid never resolves (RFC 6761); with no DNS at all the lookup fails with EAI_AGAIN.
  it("reports a hostname that does not resolve", { timeout: 10_000 }, async () => {
    const greeting = await createApiClient({
      baseUrl: "http://no-such-host.invalid:5001",
      timeoutMs: 8000,
    }).fetchGreeting();

    expect(greeting.ok).toBe(false);
    expect(greeting.ok ? "" : greeting.error).toMatch(/^(ENOTFOUND|EAI_AGAIN) no-such-host\.invalid$/);
  });
});

describe("stockroom_api_calls_total", () => {
  const outcomes: Array<[string, string, () => Promise<ApiClientOptions>]> = [
    ["ok", "the api answers", async () => ({ baseUrl: await serve((_req, res) => res.end("hi")), timeoutMs: 1000 })],
    [
      "error",
      "the api answers 503",
      async () => ({ baseUrl: await serve((_req, res) => res.writeHead(503).end()), timeoutMs: 1000 }),
    ],
    ["timeout", "the api never answers", async () => ({ baseUrl: await serve(() => {}), timeoutMs: 200 })],
    [
      "unreachable",
      "nothing listens",
      async () => ({ baseUrl: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 1000 }),
    ],
    [
      "unreachable",
      "no connect completes",
      async () => ({
        baseUrl: `http://127.0.0.1:${await unansweringPort("127.0.0.1")}`,
        timeoutMs: 2000,
        connectTimeoutMs: 200,
      }),
    ],
  ];

  it.each(outcomes)("counts one %s when %s, and nothing else", async (outcome, _when, target) => {
    const metrics = createWebappMetrics({ totalCount: 0, idleCount: 0, waitingCount: 0 });
    const api = createApiClient({ ...(await target()), calls: metrics.apiCalls });

    await api.fetchGreeting();

    const { values } = await metrics.apiCalls.get();
    const counted = Object.fromEntries(values.map(({ labels, value }) => [labels.outcome, value]));
    expect(counted).toEqual({ ok: 0, timeout: 0, unreachable: 0, error: 0, [outcome]: 1 });
  });
});
