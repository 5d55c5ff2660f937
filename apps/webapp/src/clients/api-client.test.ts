import { spawn } from "node:child_process";
import { once } from "node:events";
import type { RequestListener, Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { connect } from "node:net";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { createApiClient } from "./api-client.js";

const servers: Server[] = [];

/** A real HTTP server on a free port (or the given one), closed after each test. */
async function serve(handler: RequestListener, host = "127.0.0.1", port = 0): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

/**
 * A replica of the api on its own loopback address (Linux answers on all of
 * 127.0.0.0/8), counting the connections it accepts; every replica shares one port.
 */
async function replica(host: string, port: number) {
  const seen = { connections: 0, requests: 0 };
  const url = await serve(
    (_req, res) => {
      seen.requests += 1;
      res.writeHead(200, { "Content-Type": "text/plain", "X-Served-By": host }).end("hi");
    },
    host,
    port,
  );
  servers.at(-1)?.on("connection", () => {
    seen.connections += 1;
  });
  return { seen, port: Number(new URL(url).port) };
}

/** Stands in for Docker's DNS: `api` resolves to whatever `addresses` holds at the time. */
function fakeDns(addresses: string[]) {
  const lookups: string[] = [];
  return {
    lookups,
    resolve: async (hostname: string) => {
      lookups.push(hostname);
      return addresses.map((address) => ({ address, family: 4 }));
    },
  };
}

/** A port nothing listens on: one just released by a server. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const cleanups: Array<() => void> = [];

/**
 * A port on `host` where a connect never completes, as with a replica just
 * removed from a Docker network: a listener in a child process that never
 * accepts (its event loop is blocked), with its accept queue filled, so the
 * kernel drops every further SYN. Loopback only.
 */
async function unansweringPort(host: string): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const server = require("node:net").createServer();
       server.listen({ port: 0, host: ${JSON.stringify(host)}, backlog: 1 }, () => {
         process.stdout.write(server.address().port + "\\n");
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
       });`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const fillers: Socket[] = [];
  cleanups.push(() => {
    for (const socket of fillers) socket.destroy();
    child.kill("SIGKILL");
  });
  const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  const port = Number(line);
  // Connect until one does not: the queue is full from then on.
  for (let tries = 0; tries < 8; tries += 1) {
    const socket = connect(port, host);
    fillers.push(socket);
    const connected = await Promise.race([
      once(socket, "connect").then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300)),
    ]);
    if (!connected) return port;
  }
  throw new Error(`every connect to ${host}:${port} completed: the accept queue never filled`);
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
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
    expect(seen.connection).toBe("keep-alive");
  });

  it("reuses one kept-alive connection for successive requests to one api", async () => {
    const first = await replica("127.0.0.1", 0);
    const api = createApiClient({ baseUrl: `http://127.0.0.1:${first.port}`, timeoutMs: 1000 });

    for (let i = 0; i < 5; i++) expect((await api.fetchGreeting()).ok).toBe(true);

    expect(first.seen).toEqual({ connections: 1, requests: 5 });
  });

  it("takes the addresses the name resolves to in turn, each on its own kept-alive connection", async () => {
    const a = await replica("127.0.0.1", 0);
    const b = await replica("127.0.0.2", a.port);
    const dns = fakeDns(["127.0.0.1", "127.0.0.2"]);
    const api = createApiClient({ baseUrl: `http://api:${a.port}`, timeoutMs: 1000, resolve: dns.resolve });

    const answered = [];
    for (let i = 0; i < 6; i++) answered.push(await api.fetchGreeting());

    expect(answered.map((g) => (g.ok ? g.servedBy : g.error))).toEqual([
      "127.0.0.1",
      "127.0.0.2",
      "127.0.0.1",
      "127.0.0.2",
      "127.0.0.1",
      "127.0.0.2",
    ]);
    expect([a.seen, b.seen]).toEqual([
      { connections: 1, requests: 3 },
      { connections: 1, requests: 3 },
    ]);
    // Looked up once: the answer is kept for a second.
    expect(dns.lookups).toEqual(["api"]);
  });

  it("follows replicas that come and go once the name is looked up again", async () => {
    const a = await replica("127.0.0.1", 0);
    const b = await replica("127.0.0.2", a.port);
    const addresses = ["127.0.0.1"];
    const dns = fakeDns(addresses);
    const api = createApiClient({
      baseUrl: `http://api:${a.port}`,
      timeoutMs: 1000,
      resolve: dns.resolve,
      resolveEveryMs: 0,
    });
    const servedBy = async () => {
      const greeting = await api.fetchGreeting();
      return greeting.ok ? greeting.servedBy : greeting.error;
    };

    expect(await servedBy()).toBe("127.0.0.1");
    addresses.push("127.0.0.2");
    expect(new Set([await servedBy(), await servedBy()])).toEqual(new Set(["127.0.0.1", "127.0.0.2"]));
    addresses.splice(0, 1);
    expect([await servedBy(), await servedBy()]).toEqual(["127.0.0.2", "127.0.0.2"]);
    expect(a.seen.requests + b.seen.requests).toBe(5);
  });

  it("asks the next replica once when the one it reached is gone, so a crashed api costs no greeting", async () => {
    const a = await replica("127.0.0.1", 0);
    const b = await replica("127.0.0.2", a.port);
    // Docker's DNS still lists a crashed replica for a moment.
    const dns = fakeDns(["127.0.0.1", "127.0.0.2"]);
    const api = createApiClient({ baseUrl: `http://api:${a.port}`, timeoutMs: 1000, resolve: dns.resolve });
    expect((await api.fetchGreeting()).ok).toBe(true);
    expect((await api.fetchGreeting()).ok).toBe(true);

    const [first] = servers;
    first?.closeAllConnections();
    await new Promise<void>((resolve) => first?.close(() => resolve()));
    const after = [await api.fetchGreeting(), await api.fetchGreeting(), await api.fetchGreeting()];

    expect(after.map((g) => (g.ok ? g.servedBy : g.error))).toEqual(["127.0.0.2", "127.0.0.2", "127.0.0.2"]);
    expect(b.seen.requests).toBe(4);
  });

  it("never retries on the replica that just failed, in whatever order the name resolves next", async () => {
    const a = await replica("127.0.0.1", 0);
    const b = await replica("127.0.0.2", a.port);
    // Docker's DNS answers in a new order each time, and lists a dead replica for a moment.
    let lookups = 0;
    const resolve = async () => {
      const order = ["127.0.0.1", "127.0.0.2"];
      if (lookups++ % 2 === 1) order.reverse();
      return order.map((address) => ({ address, family: 4 }));
    };
    const api = createApiClient({ baseUrl: `http://api:${a.port}`, timeoutMs: 1000, resolve });
    expect((await api.fetchGreeting()).ok).toBe(true);
    expect((await api.fetchGreeting()).ok).toBe(true);

    const [first] = servers;
    first?.closeAllConnections();
    await new Promise<void>((done) => first?.close(() => done()));
    // Its turn: 127.0.0.1 fails, the name is looked up again (now 127.0.0.2 first), and the next in turn would be 127.0.0.1 again.
    const greeting = await api.fetchGreeting();

    expect(greeting).toEqual({ ok: true, message: "hi", servedBy: "127.0.0.2" });
    expect(lookups).toBe(2);
    expect(b.seen.requests).toBe(2);
  });

  it("asks the next replica in good time when a connect hangs, as to a replica just removed", async () => {
    const port = await unansweringPort("127.0.0.1");
    const b = await replica("127.0.0.2", port);
    const dns = fakeDns(["127.0.0.1", "127.0.0.2"]);
    const api = createApiClient({ baseUrl: `http://api:${port}`, timeoutMs: 2000, resolve: dns.resolve });

    const started = performance.now();
    const greeting = await api.fetchGreeting();

    expect(greeting).toEqual({ ok: true, message: "hi", servedBy: "127.0.0.2" });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(b.seen.requests).toBe(1);
  });

  it("says so when the only replica never accepts the connection", async () => {
    const port = await unansweringPort("127.0.0.1");
    const api = createApiClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000, connectTimeoutMs: 200 });

    expect(await api.fetchGreeting()).toEqual({
      ok: false,
      error: "ERR_CONNECT_TIMEOUT no connection to 127.0.0.1 within 200 ms",
    });
  });

  it("does not retry when the api answered with an error", async () => {
    let requests = 0;
    const baseUrl = await serve((_req, res) => {
      requests += 1;
      res.writeHead(503).end("busy");
    });

    const greeting = await createApiClient({ baseUrl, timeoutMs: 1000 }).fetchGreeting();

    expect(greeting).toEqual({ ok: false, error: "api answered 503" });
    expect(requests).toBe(1);
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
