import type { IncomingHttpHeaders, OutgoingHttpHeaders, RequestListener, Server } from "node:http";
import { Agent, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { listen } from "@stockroom/http-kit";
import { afterAll, beforeAll, expect, it, vi } from "vitest";

// For both services' unit tests (apps/*/src): a real listening server, for
// what supertest cannot show: Node's HTTP parser rejecting oversized headers,
// bodies streamed without a Content-Length, and shutdown closing the listening
// socket and idle keep-alive connections.

/** What came back, read to the end. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SendOptions {
  headers?: OutgoingHttpHeaders;
  /** Written one by one, so the body goes out chunked, with no Content-Length. */
  chunks?: readonly string[];
  /** Sent whole, after any chunks. */
  body?: string;
  /** Defaults to a fresh agent: the request gets its own connection. */
  agent?: Agent;
}

/** One request to 127.0.0.1:`port`; rejects when the connection fails (ECONNREFUSED once shut down). */
export function sendRequest(port: number, method: string, path: string, options: SendOptions = {}): Promise<Answer> {
  const { headers = {}, chunks = [], body, agent = new Agent() } = options;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end(body);
  });
}

export interface ServerForTests {
  /** The listening server; there once the file's beforeAll has run. */
  readonly server: Server;
  readonly port: number;
  send(method: string, path: string, options?: SendOptions): Promise<Answer>;
}

/**
 * Listens with `makeApp()` on a free port for the whole test file, so "goes on
 * serving" means the same listening app, not a fresh one. Call it at the top
 * level of a test file.
 */
export function serveForTests(makeApp: () => RequestListener): ServerForTests {
  let listening: Server | undefined;
  beforeAll(async () => {
    listening = await listen(makeApp(), { port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    const server = listening;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const started = (): Server => {
    if (listening === undefined) throw new Error("serveForTests: the server listens from beforeAll on");
    return listening;
  };
  const live: ServerForTests = {
    get server() {
      return started();
    },
    get port() {
      return (started().address() as AddressInfo).port;
    },
    send: (method, path, options) => sendRequest(live.port, method, path, options),
  };
  return live;
}

/**
 * Registers the test both services share: Node's HTTP parser (not Express)
 * answers a 32 KiB header on `path` with an empty 431, and the server goes on
 * serving /healthz.
 */
export function itAnswersOversizedHeadersWith431(live: ServerForTests, path: string): void {
  it("answers a 32 KiB header with 431 and goes on serving", async () => {
    const res = await live.send("GET", path, { headers: { "X-Padding": "a".repeat(32 * 1024) } });

    expect(res.status).toBe(431);
    expect(res.body).toBe("");

    const next = await live.send("GET", "/healthz");
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body)).toEqual({ status: "ok" });
  });
}

export interface GracefulShutdownCase {
  /** The app under test; a GET of `slowPath` must call `arrived()`, then answer a few hundred ms later. */
  makeApp: (arrived: () => void) => RequestListener;
  slowPath: string;
  /** The service's own shutdown routine over the listening server, exiting through `exit`. */
  makeShutdown: (server: Server, exit: (code: number) => void) => (signal: string) => Promise<void>;
}

/**
 * Starts a slow request, sends the shutdown a SIGTERM would, and checks what
 * every service promises: exit 0, once, within a second, and new connections
 * refused. Resolves with the in-flight request's answer, for the caller to
 * check that it was finished, not cut.
 */
export async function expectGracefulShutdown(shutdownCase: GracefulShutdownCase): Promise<Answer> {
  const { makeApp, slowPath, makeShutdown } = shutdownCase;
  let arrived!: () => void;
  const slowRequestArrived = new Promise<void>((resolve) => (arrived = resolve));
  const server = await listen(makeApp(arrived), { port: 0, host: "127.0.0.1" });
  const { port } = server.address() as AddressInfo;
  const exit = vi.fn<(code: number) => void>();
  const shutdown = makeShutdown(server, exit);
  // Keep-alive, as browsers and fetch use: an idle pooled socket must not hold shutdown up.
  const agent = new Agent({ keepAlive: true });

  try {
    expect((await sendRequest(port, "GET", "/healthz", { agent })).status).toBe(200);
    const inFlight = sendRequest(port, "GET", slowPath, { agent });
    await slowRequestArrived;

    const started = Date.now();
    const stopping = shutdown("SIGTERM");

    const answer = await inFlight;
    await stopping;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);

    await expect(sendRequest(port, "GET", "/healthz")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    return answer;
  } finally {
    agent.destroy();
    server.closeAllConnections();
    server.close();
  }
}
