import { Agent, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { createShutdown, listen, silentLogger } from "@stockroom/http-kit";
import express from "express";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

const SLOW_MS = 300;

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
  it("finishes the in-flight request, exits 0 within a second and refuses new connections", async () => {
    const logger = silentLogger();
    let arrived!: () => void;
    const slowRequestArrived = new Promise<void>((resolve) => (arrived = resolve));

    // A test-only slow route in front of the real app.
    const outer = express();
    outer.get("/slow", (_req, res) => {
      arrived();
      setTimeout(() => res.type("text/plain").send("done"), SLOW_MS);
    });
    outer.use(createApp({ config: loadConfig({}), logger, hostname: "api-test-1" }));

    const server = await listen(outer, { port: 0, host: "127.0.0.1" });
    const { port } = server.address() as AddressInfo;
    const exit = vi.fn<(code: number) => void>();
    const shutdown = createShutdown({ server, logger, exit });
    // Keep-alive, as browsers and fetch use: an idle pooled socket must not hold shutdown up.
    const agent = new Agent({ keepAlive: true });

    try {
      expect((await get(port, "/healthz", agent)).status).toBe(200);
      const inFlight = get(port, "/slow", agent);
      await slowRequestArrived;

      const started = Date.now();
      const stopping = shutdown("SIGTERM");

      await expect(inFlight).resolves.toEqual({ status: 200, body: "done" });
      await stopping;
      expect(Date.now() - started).toBeLessThan(1000);
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
