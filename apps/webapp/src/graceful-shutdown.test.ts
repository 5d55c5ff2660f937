import { Agent, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { listen, silentLogger } from "@stockroom/http-kit";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "./app.js";
import { createWebappShutdown } from "./shutdown.js";
import { createFakeApiClient } from "./testing/fake-api-client.js";
import { createFakeVisitStore } from "./testing/fake-visit-store.js";

const SLOW_API_MS = 300;

function get(port: number, path: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("graceful shutdown", () => {
  it("finishes the page in flight, then ends the pool, exits 0 within a second and refuses new connections", async () => {
    const logger = silentLogger();
    let arrived!: () => void;
    const pageRequestArrived = new Promise<void>((resolve) => (arrived = resolve));
    // The api answers slowly, so the page request is still in flight when shutdown begins.
    const api = createFakeApiClient({ ok: true, message: "Hello from the api", servedBy: "api-7f3c" });
    api.fetchGreeting = async () => {
      arrived();
      await sleep(SLOW_API_MS);
      return api.greeting;
    };
    const app = createApp({ visits: createFakeVisitStore(), api, logger, hostname: "webapp-1a2b", apiUrl: "http://api:5001" });

    const server = await listen(app, { port: 0, host: "127.0.0.1" });
    const { port } = server.address() as AddressInfo;
    // The pool must outlive every page that still needs it: count finished pages when it ends.
    let pagesFinished = 0;
    server.on("request", (req, res) => res.on("finish", () => (pagesFinished += req.url === "/" ? 1 : 0)));
    let pagesFinishedWhenPoolEnded: number | undefined;
    const pool = { end: vi.fn(async () => void (pagesFinishedWhenPoolEnded = pagesFinished)) };
    const stopRetrying = new AbortController();
    const exit = vi.fn<(code: number) => void>();
    const shutdown = createWebappShutdown({ server, logger, pool, stopRetrying, exit });
    // Keep-alive, as browsers use: an idle pooled socket must not hold shutdown up.
    const agent = new Agent({ keepAlive: true });

    try {
      expect((await get(port, "/healthz", agent)).status).toBe(200);
      const inFlight = get(port, "/", agent);
      await pageRequestArrived;

      const started = Date.now();
      const stopping = shutdown("SIGTERM");

      const page = await inFlight;
      expect(page.status).toBe(200);
      expect(page.body).toContain("The API says: Hello from the api");
      await stopping;
      expect(Date.now() - started).toBeLessThan(1000);
      expect(pool.end).toHaveBeenCalledOnce();
      expect(pagesFinishedWhenPoolEnded).toBe(1);
      expect(stopRetrying.signal.aborted).toBe(true);
      expect(exit).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(0);

      await expect(get(port, "/healthz", new Agent())).rejects.toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      agent.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
