import { createShutdown, silentLogger } from "@stockroom/http-kit";
import express from "express";
import { describe, expect, it } from "vitest";
import { expectGracefulShutdown } from "../../../test/support/live-server.js";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

const SLOW_MS = 300;

describe("graceful shutdown", () => {
  it("finishes the in-flight request, exits 0 within a second and refuses new connections", async () => {
    const logger = silentLogger();

    const inFlight = await expectGracefulShutdown({
      makeApp: (arrived) => {
        // A test-only slow route in front of the real app.
        const outer = express();
        outer.get("/slow", (_req, res) => {
          arrived();
          setTimeout(() => res.type("text/plain").send("done"), SLOW_MS);
        });
        outer.use(createApp({ config: loadConfig({}), logger, hostname: "api-test-1" }));
        return outer;
      },
      slowPath: "/slow",
      // The api holds nothing to release: main.ts wires http-kit's shutdown as it is.
      makeShutdown: (server, exit) => createShutdown({ server, logger, exit }),
    });

    expect(inFlight.status).toBe(200);
    expect(inFlight.body).toBe("done");
  });
});
