import { setTimeout as sleep } from "node:timers/promises";
import { silentLogger } from "@stockroom/http-kit";
import { describe, expect, it, vi } from "vitest";
import { expectGracefulShutdown } from "../../../test/support/live-server.js";
import { createApp } from "./app.js";
import { createWebappShutdown } from "./shutdown.js";
import { createFakeApiClient, createFakeVisitStore } from "./testing/fakes.js";

const SLOW_API_MS = 300;

describe("graceful shutdown", () => {
  it("finishes the page in flight, then ends the pool, exits 0 within a second and refuses new connections", async () => {
    const logger = silentLogger();
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
        return createApp({ visits, api, logger, hostname: "webapp-1a2b", apiUrl: "http://api:5001" });
      },
      slowPath: "/",
      makeShutdown: (server, exit) => {
        server.on("request", (req, res) => res.on("finish", () => (pagesFinished += req.url === "/" ? 1 : 0)));
        return createWebappShutdown({ server, logger, pool, stopRetrying, exit });
      },
    });

    expect(page.status).toBe(200);
    expect(page.body).toContain("The API says: Hello from the api");
    expect(pool.end).toHaveBeenCalledOnce();
    expect(pagesFinishedWhenPoolEnded).toBe(1);
    expect(stopRetrying.signal.aborted).toBe(true);
  });
});
