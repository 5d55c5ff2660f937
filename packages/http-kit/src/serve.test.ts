import type { AddressInfo } from "node:net";
import express from "express";
import request from "supertest";
import { describe, expect, it, vi } from "vitest";
import { silentLogger } from "./logger.js";
import { createServiceApp, createShutdown, healthRoute, listen } from "./serve.js";

async function slowServer(delayMs: number) {
  // Shutdown starts once the request is in (a fixed sleep loses the race on a busy machine).
  let arrived!: () => void;
  const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
  const server = await listen(
    (_req, res) => {
      arrived();
      setTimeout(() => res.end("done"), delayMs);
    },
    { port: 0, host: "127.0.0.1" },
  );
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/`, requestArrived };
}

describe("graceful shutdown", () => {
  it("finishes a request in flight, releases resources, then exits 0 within a second", async () => {
    const { server, url, requestArrived } = await slowServer(300);
    const exit = vi.fn();
    const release = vi.fn(async () => {});
    const shutdown = createShutdown({ servers: [server], logger: silentLogger(), release, exit });

    const inFlight = fetch(url);
    await requestArrived;
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
    await createShutdown({ servers: [server], logger: silentLogger(), exit })("SIGTERM");
    await expect(fetch(url)).rejects.toThrow();
    expect(exit).toHaveBeenCalledWith(0);
  });

  it("cuts a request that outlives the grace period and still exits 0 in time", async () => {
    const { server, url, requestArrived } = await slowServer(5000);
    const exit = vi.fn();
    const shutdown = createShutdown({ servers: [server], logger: silentLogger(), exit, graceMs: 200 });
    const inFlight = fetch(url).then(
      () => "answered",
      () => "cut",
    );
    await requestArrived;
    const started = Date.now();
    await shutdown("SIGTERM");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await inFlight).toBe("cut");
    expect(exit).toHaveBeenCalledWith(0);
  });

  it("closes every server it is given side by side: the app's and the metrics', in one second", async () => {
    const app = await slowServer(300);
    const metrics = await slowServer(300);
    const exit = vi.fn();
    const shutdown = createShutdown({ servers: [app.server, metrics.server], logger: silentLogger(), exit });

    const inFlight = [fetch(app.url), fetch(metrics.url)];
    await Promise.all([app.requestArrived, metrics.requestArrived]);
    const started = Date.now();
    await shutdown("SIGTERM");

    expect(Date.now() - started).toBeLessThan(1000);
    expect(await Promise.all(inFlight.map(async (res) => (await res).status))).toEqual([200, 200]);
    await expect(fetch(app.url)).rejects.toThrow();
    await expect(fetch(metrics.url)).rejects.toThrow();
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
  });

  it("runs once however many signals arrive", async () => {
    const { server } = await slowServer(0);
    const exit = vi.fn();
    const shutdown = createShutdown({ servers: [server], logger: silentLogger(), exit });
    await Promise.all([shutdown("SIGTERM"), shutdown("SIGINT")]);
    expect(exit).toHaveBeenCalledTimes(1);
  });
});

describe("healthRoute", () => {
  it("answers GET and HEAD /healthz with status ok, and other methods with a 405", async () => {
    const app = express().use(healthRoute());

    expect((await request(app).get("/healthz")).body).toEqual({ status: "ok" });
    expect((await request(app).head("/healthz")).status).toBe(200);
    const post = await request(app).post("/healthz");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });
});

describe("createServiceApp", () => {
  const app = (servedBy?: string) =>
    createServiceApp({ logger: silentLogger(), ...(servedBy === undefined ? {} : { servedBy }) }, (routes) => {
      routes.get("/boom", () => {
        throw new Error("db password is hunter2");
      });
    });

  it("stamps every answer, 404s and 500s included, with the security headers and X-Served-By", async () => {
    for (const path of ["/nowhere", "/boom"]) {
      const res = await request(app("replica-1")).get(path);

      expect(res.headers["x-served-by"]).toBe("replica-1");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-powered-by"]).toBeUndefined();
    }
  });

  it("sends no X-Served-By when it is not given, and never the internals of a 500", async () => {
    const res = await request(app()).get("/boom");

    expect(res.status).toBe(500);
    expect(res.headers["x-served-by"]).toBeUndefined();
    expect(res.text).not.toContain("hunter2");
  });
});
