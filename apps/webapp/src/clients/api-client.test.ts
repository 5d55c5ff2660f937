import type { RequestListener, Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createApiClient } from "./api-client.js";

const servers: Server[] = [];

/** A real HTTP server on a free port, closed after each test. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on: one just released by a server. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

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
    // A fresh connection, and so a fresh DNS lookup, for every request.
    expect(seen.connection).toBe("close");
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

  it("turns an error status into an error naming the status", async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(500).end("boom");
    });

    const greeting = await createApiClient({ baseUrl, timeoutMs: 1000 }).fetchGreeting();

    expect(greeting).toEqual({ ok: false, error: "api answered 500" });
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
