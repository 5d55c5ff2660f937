import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import { silentLogger } from "./logger.js";
import { createShutdown, listen } from "./serve.js";

async function slowServer(delayMs: number) {
  const server = await listen(
    (_req, res) => {
      setTimeout(() => res.end("done"), delayMs);
    },
    { port: 0, host: "127.0.0.1" },
  );
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

describe("graceful shutdown", () => {
  it("finishes a request in flight, releases resources, then exits 0 within a second", async () => {
    const { server, url } = await slowServer(300);
    const exit = vi.fn();
    const release = vi.fn(async () => {});
    const shutdown = createShutdown({ server, logger: silentLogger(), release, exit });

    const inFlight = fetch(url);
    await sleep(50);
    const started = Date.now();
    const stopped = shutdown("SIGTERM");

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("done");
    await stopped;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(release).toHaveBeenCalledOnce();
    expect(exit).toHaveBeenCalledWith(0);
  });

  it("refuses new connections once shutdown has begun", async () => {
    const { server, url } = await slowServer(0);
    const exit = vi.fn();
    await createShutdown({ server, logger: silentLogger(), exit })("SIGTERM");
    await expect(fetch(url)).rejects.toThrow();
    expect(exit).toHaveBeenCalledWith(0);
  });

  it("cuts a request that outlives the grace period and still exits 0 in time", async () => {
    const { server, url } = await slowServer(5000);
    const exit = vi.fn();
    const shutdown = createShutdown({ server, logger: silentLogger(), exit, graceMs: 200 });
    const inFlight = fetch(url).then(
      () => "answered",
      () => "cut",
    );
    await sleep(50);
    const started = Date.now();
    await shutdown("SIGTERM");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await inFlight).toBe("cut");
    expect(exit).toHaveBeenCalledWith(0);
  });

  it("runs once however many signals arrive", async () => {
    const { server } = await slowServer(0);
    const exit = vi.fn();
    const shutdown = createShutdown({ server, logger: silentLogger(), exit });
    await Promise.all([shutdown("SIGTERM"), shutdown("SIGINT")]);
    expect(exit).toHaveBeenCalledTimes(1);
  });
});
