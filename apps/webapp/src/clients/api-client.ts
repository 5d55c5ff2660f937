import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import type { Agent } from "node:http";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { LookupFunction, Socket } from "node:net";
import { describeError } from "@stockroom/http-kit";
import type { AxiosInstance } from "axios";
import axios, { isAxiosError } from "axios";

/** What the api said, or why it could not be asked. */
export type Greeting = { ok: true; message: string; servedBy?: string } | { ok: false; error: string };

export interface ApiClient {
  /** Never throws: every failure comes back as `{ ok: false, error }`. */
  fetchGreeting(): Promise<Greeting>;
}

export interface ApiClientOptions {
  baseUrl: string;
  timeoutMs: number;
  /** How long one lookup of the api's hostname is used before the next; 1 s unless a test says otherwise. */
  resolveEveryMs?: number;
  /** Resolves the hostname to every address it has; `dns.lookup` with `all: true` unless a test says otherwise. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
  /** How long one connection attempt may take: a third of `timeoutMs`, at most 500 ms, unless a test says otherwise. */
  connectTimeoutMs?: number;
}

/** Greetings are a line of text; anything bigger than this is not one. */
const MAX_BODY_BYTES = 64 * 1024;

const lookupAll = (hostname: string) => lookup(hostname, { all: true });

/**
 * On a Docker network a live replica's kernel completes a connect in well
 * under a millisecond, however busy the replica is. One that never completes
 * is an address nobody has any more: a replica just removed, which Docker's
 * DNS may still list for a moment. Without this its connect would hang until
 * the whole deadline was spent (the kernel answers EHOSTUNREACH only after
 * about 3 s); with it, the next replica is asked in good time.
 */
const MAX_CONNECT_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT = "ERR_CONNECT_TIMEOUT";

/** Makes `agent` destroy a socket that has not connected within `ms`, with code ERR_CONNECT_TIMEOUT. */
function limitConnectTime(agent: Agent, address: string, ms: number): void {
  const createConnection = agent.createConnection.bind(agent) as (...args: unknown[]) => Socket;
  agent.createConnection = (...args: unknown[]) => {
    const socket = createConnection(...args);
    const timer = setTimeout(() => {
      const error = new Error(`no connection to ${address} within ${ms} ms`);
      socket.destroy(Object.assign(error, { code: CONNECT_TIMEOUT }));
    }, ms);
    const done = () => clearTimeout(timer);
    socket.once("connect", done).once("close", done);
    return socket;
  };
}

/**
 * Spreads requests over every address the api's hostname resolves to, in
 * turn, on kept-alive connections. With `docker compose up --scale api=3`
 * Docker's DNS answers `api` with the three replicas' addresses: each gets
 * its own keep-alive agent, whose sockets connect to that address only, and
 * successive requests take the next one. A new connection per request (a DNS
 * lookup and a TCP connect each time) also spread the load, but cost more
 * than the page's SQL; one kept-alive agent for the name would pin every page
 * to the replica its sockets happened to reach.
 *
 * The name is looked up again once the last answer is `resolveEveryMs` old,
 * or after a request failed, so replicas that come and go are followed within
 * a second. Only the first answer's family is used: `localhost` may resolve
 * to ::1 and 127.0.0.1, and a server often listens on one of them only.
 */
function createReplicaRotation(
  url: URL,
  {
    resolveEveryMs,
    connectTimeoutMs,
    resolve = lookupAll,
  }: { resolveEveryMs: number; connectTimeoutMs: number; resolve?: ApiClientOptions["resolve"] },
) {
  const Agent = url.protocol === "https:" ? HttpsAgent : HttpAgent;
  const agents = new Map<string, Agent>();
  let replicas: Agent[] = [];
  let resolvedAt = Number.NEGATIVE_INFINITY;
  let resolving: Promise<void> | undefined;
  let turn = 0;

  const agentFor = (address: string, family: number): Agent => {
    let agent = agents.get(address);
    if (!agent) {
      // Connect to this address whatever the hostname resolves to by then
      // (net.connect asks for `all` addresses when it may try several families).
      const pinned: LookupFunction = (_host, { all }, done) =>
        all ? done(null, [{ address, family }]) : done(null, address, family);
      agent = new Agent({ keepAlive: true, lookup: pinned });
      limitConnectTime(agent, address, connectTimeoutMs);
      agents.set(address, agent);
    }
    return agent;
  };

  const refresh = async () => {
    const found = await resolve(url.hostname);
    const current = found.filter((entry) => entry.family === found[0]?.family);
    replicas = current.map(({ address, family }) => agentFor(address, family));
    resolvedAt = performance.now();
    // A replica that is gone: close its sockets now rather than when they time out.
    for (const [address, agent] of agents) {
      if (current.some((entry) => entry.address === address)) continue;
      agent.destroy();
      agents.delete(address);
    }
  };

  return {
    /**
     * The agent of the next replica in turn, other than `avoid` when there is
     * another (rejects as dns.lookup does when the name does not resolve).
     */
    async next(deadline: AbortSignal, avoid?: Agent): Promise<Agent> {
      if (replicas.length === 0 || performance.now() - resolvedAt >= resolveEveryMs) {
        resolving ??= refresh().finally(() => {
          resolving = undefined;
        });
        // A lookup that hangs (no DNS server answering) counts against the request's deadline.
        const gaveUp = new Promise<never>((_resolve, reject) => {
          deadline.addEventListener("abort", () => reject(deadline.reason), { once: true });
        });
        await Promise.race([resolving, gaveUp]);
      }
      let agent = replicas[turn++ % replicas.length];
      if (agent === avoid && replicas.length > 1) agent = replicas[turn++ % replicas.length];
      if (!agent) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${url.hostname}`), { code: "ENOTFOUND" });
      return agent;
    },
    /** After a failure, look the name up again before the next request. */
    forget(): void {
      resolvedAt = Number.NEGATIVE_INFINITY;
    },
  };
}

function createHttp({ baseUrl, timeoutMs }: ApiClientOptions): AxiosInstance {
  return axios.create({
    baseURL: baseUrl,
    timeout: timeoutMs,
    responseType: "text",
    headers: { Accept: "text/plain" },
    maxContentLength: MAX_BODY_BYTES,
    // The api answers itself or fails; a redirect would be a misconfiguration
    // to report, not follow. It also keeps axios on plain node:http instead of
    // its redirect-following wrapper (2-3% of the webapp's CPU in a profile).
    maxRedirects: 0,
    // Service-to-service traffic never goes through an HTTP(S)_PROXY from the environment.
    proxy: false,
    transitional: { clarifyTimeoutError: true },
  });
}

/**
 * The connection broke before any answer, or never came about: the replica
 * behind a kept-alive socket died or is stopping, or is gone. A GET of the
 * greeting changes nothing, so it is safe to ask the next replica once.
 */
const CONNECTION_LOST = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "EHOSTUNREACH", CONNECT_TIMEOUT]);

function connectionLost(err: unknown): boolean {
  if (!isAxiosError(err) || err.response) return false;
  const code = err.code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && CONNECTION_LOST.has(code);
}

/** Why a request failed, in a few words (the network error code first when there is one). */
function describeFailure(err: unknown, { baseUrl, timeoutMs }: ApiClientOptions, timedOut: boolean): string {
  if (isAxiosError(err) && err.response) return `api answered ${err.response.status}`;
  if (timedOut) return `timed out after ${timeoutMs} ms (${baseUrl})`;
  if (isAxiosError(err) && err.message.startsWith("maxContentLength")) {
    return `the api's answer is over ${MAX_BODY_BYTES} bytes`;
  }
  // The lookup of the api's name fails before axios is asked: a plain error with a code.
  const cause = (isAxiosError(err) ? err.cause : err) as
    | (NodeJS.ErrnoException & { hostname?: string; address?: string; port?: number })
    | undefined;
  const code = (isAxiosError(err) ? err.code : undefined) ?? cause?.code;
  switch (code) {
    case "ETIMEDOUT":
    case "ECONNABORTED":
    case "ERR_CANCELED":
      return `timed out after ${timeoutMs} ms (${baseUrl})`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `${code} ${cause?.hostname ?? new URL(baseUrl).hostname}`;
    case "ECONNREFUSED":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${code} ${cause?.address ? `${cause.address}:${cause.port}` : new URL(baseUrl).host}`;
    default: {
      const detail = describeError(cause ?? err);
      return code && !detail.includes(code) ? `${code} ${detail}` : detail;
    }
  }
}

/** The webapp's client for the `api` service, found by hostname. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const http = createHttp(options);
  const replicas = createReplicaRotation(new URL(options.baseUrl), {
    resolveEveryMs: options.resolveEveryMs ?? 1_000,
    connectTimeoutMs: options.connectTimeoutMs ?? Math.min(MAX_CONNECT_TIMEOUT_MS, options.timeoutMs / 3),
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });
  const ask = (agent: Agent, deadline: AbortSignal) =>
    http.get<string>("/", { signal: deadline, httpAgent: agent, httpsAgent: agent });
  return {
    async fetchGreeting() {
      // axios's `timeout` is reset by every byte that arrives; this signal
      // caps the whole exchange: the lookup, the connect, the retry, and a
      // body that trickles in byte by byte.
      const deadline = AbortSignal.timeout(options.timeoutMs);
      try {
        const first = await replicas.next(deadline);
        let response: Awaited<ReturnType<typeof ask>>;
        try {
          response = await ask(first, deadline);
        } catch (err) {
          if (!connectionLost(err) || deadline.aborted) throw err;
          replicas.forget();
          // Docker's DNS may list the dead replica for a moment yet: not that one again.
          response = await ask(await replicas.next(deadline, first), deadline);
        }
        const servedBy = response.headers["x-served-by"];
        return {
          ok: true,
          message: String(response.data ?? "").trim(),
          ...(typeof servedBy === "string" && servedBy !== "" ? { servedBy } : {}),
        };
      } catch (err) {
        if (!(isAxiosError(err) && err.response)) replicas.forget();
        return { ok: false, error: describeFailure(err, options, deadline.aborted) };
      }
    },
  };
}
