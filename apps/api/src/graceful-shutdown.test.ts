import { createServiceMetrics, createShutdown, listen, metricsHandler, silentLogger } from "@stockroom/http-kit";
import express from "express";
import { describe, expect, it, onTestFinished } from "vitest";
import { expectGracefulShutdown } from "../../../test/support/live-server.js";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

const SLOW_MS = 300;

describe("graceful shutdown", () => {
  it("finishes the in-flight request, closes the metrics port too, exits 0 within a second and refuses new connections", async () => {
    const logger = silentLogger();
    const metrics = createServiceMetrics();
    const metricsServer = await listen(metricsHandler(metrics.registry, logger), { port: 0, host: "127.0.0.1" });
    onTestFinished(() => void metricsServer.close());

    const inFlight = await expectGracefulShutdown({
      makeApp: (arrived) => {
        // A test-only slow route in front of the real app.
        const outer = express();
        outer.get("/slow", (_req, res) => {
          arrived();
          setTimeout(() => res.type("text/plain").send("done"), SLOW_MS);
        });
        outer.use(createApp({ config: loadConfig({}), logger, hostname: "api-test-1", metrics }));
        return outer;
      },
      slowPath: "/slow",
      // The api holds nothing to release: main.ts wires http-kit's shutdown as it is.
      makeShutdown: (server, exit) => createShutdown({ servers: [server, metricsServer], logger, exit }),
    });

    expect(inFlight.status).toBe(200);
    expect(inFlight.body).toBe("done");
    expect(metricsServer.listening).toBe(false);
  });
});
