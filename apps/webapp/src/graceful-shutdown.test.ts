import { setTimeout as sleep } from "node:timers/promises";
import { listen, metricsHandler, silentLogger } from "@stockroom/http-kit";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { expectGracefulShutdown } from "../../../test/support/live-server.js";
import { createApp } from "./app.js";
import { createWebappMetrics } from "./metrics.js";
import { createWebappShutdown } from "./shutdown.js";
import { createFakeApiClient, createFakeVisitStore } from "./testing/fakes.js";

const SLOW_API_MS = 300;

describe("graceful shutdown", () => {
  it("finishes the page in flight, closes the metrics port, ends the pool, exits 0 within a second and refuses new connections", async () => {
    const logger = silentLogger();
    const metrics = createWebappMetrics({ totalCount: 0, idleCount: 0, waitingCount: 0 });
    const metricsServer = await listen(metricsHandler(metrics.registry, logger), { port: 0, host: "127.0.0.1" });
    onTestFinished(() => void metricsServer.close());
    // The pool must outlive every page that still needs it: count finished pages when it ends.
    let pagesFinished = 0;
    let pagesFinishedWhenPoolEnded: number | undefined;
    const pool = {
      end: vi.fn(async () => {
        pagesFinishedWhenPoolEnded = pagesFinished;
      }),
    };
    const stopRetrying = new AbortController();

    const page = await expectGracefulShutdown({
      makeApp: (arrived) => {
        // The api answers slowly, so the page request is still in flight when shutdown begins.
        const api = createFakeApiClient({ ok: true, message: "Hello from the api", servedBy: "api-7f3c" });
        api.fetchGreeting = async () => {
          arrived();
          await sleep(SLOW_API_MS);
          return api.greeting;
        };
        const visits = createFakeVisitStore();
        return createApp({ visits, api, logger, hostname: "webapp-1a2b", apiUrl: "http://api:5001", metrics });
      },
      slowPath: "/",
      makeShutdown: (server, exit) => {
        server.on("request", (req, res) => res.on("finish", () => (pagesFinished += req.url === "/" ? 1 : 0)));
        return createWebappShutdown({ servers: [server, metricsServer], logger, pool, stopRetrying, exit });
      },
    });

    expect(page.status).toBe(200);
    expect(page.body).toContain("The API says: Hello from the api");
    expect(pool.end).toHaveBeenCalledOnce();
    expect(pagesFinishedWhenPoolEnded).toBe(1);
    expect(stopRetrying.signal.aborted).toBe(true);
    expect(metricsServer.listening).toBe(false);
  });
});
