// The replica handling behind fetchGreeting (replica-rotation.ts), proved
// through the client: several replicas behind one name, taken in turn, and a
// replica that is gone (refused, reset, or a connect that hangs) costs no greeting.
import { afterEach, describe, expect, it } from "vitest";
import { closeServers, serve, servers, unansweringPort } from "../testing/servers.js";
import { createApiClient } from "./api-client.js";

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

afterEach(closeServers);

describe("createApiClient().fetchGreeting over the api's replicas", () => {
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
});
