// Why this file exists: `docker compose up --scale api=3` puts three api
// replicas behind the one name `api`, and a plain axios call would not use
// them well. Docker's DNS answers `api` with every replica's address; one
// kept-alive agent for the name would pin every page to the replica its
// sockets happened to reach, and a new connection per request (a lookup and a
// connect each time) spreads the load but costs more than the page's SQL.
// So each address gets its own keep-alive agent and requests take them in
// turn. Replicas come and go, so the name is looked up again at most a second
// later (or right after a failure); a replica that just crashed or was
// removed costs no greeting: a connection refused, reset or never made is
// asked once more of the next replica. api-client.ts stays the plain GET.
import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import type { Agent } from "node:http";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { LookupFunction, Socket } from "node:net";
import { isAxiosError } from "axios";

export interface ReplicaOptions {
  /** How long one lookup of the api's hostname is used before the next; 1 s unless a test says otherwise. */
  resolveEveryMs?: number;
  /** Resolves the hostname to every address it has; `dns.lookup` with `all: true` unless a test says otherwise. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
  /** How long one connection attempt may take: a third of `timeoutMs`, at most 500 ms, unless a test says otherwise. */
  connectTimeoutMs?: number;
}

export interface ReplicaRotation {
  /**
   * Calls `ask` with the agent of the next replica in turn; when the
   * connection was lost before any answer, calls it once more with another
   * replica's. Rejects as `ask` does, or as dns.lookup does when the name
   * does not resolve, or with the deadline's reason when the lookup hangs.
   */
  send<T>(ask: (agent: Agent) => Promise<T>, deadline: AbortSignal): Promise<T>;
}

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

const lookupAll = (hostname: string) => lookup(hostname, { all: true });

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
 * Spreads requests over every address `baseUrl`'s hostname resolves to, in
 * turn, on kept-alive connections, as the header says. Only the first
 * answer's family is used: `localhost` may resolve to ::1 and 127.0.0.1, and
 * a server often listens on one of them only.
 */
export function createReplicaRotation({
  baseUrl,
  timeoutMs,
  resolveEveryMs = 1_000,
  resolve = lookupAll,
  connectTimeoutMs = Math.min(MAX_CONNECT_TIMEOUT_MS, timeoutMs / 3),
}: ReplicaOptions & { baseUrl: string; timeoutMs: number }): ReplicaRotation {
  const url = new URL(baseUrl);
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

  /**
   * The agent of the next replica in turn, other than `avoid` when there is
   * another (rejects as dns.lookup does when the name does not resolve).
   */
  const next = async (deadline: AbortSignal, avoid?: Agent): Promise<Agent> => {
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
  };

  /** After a failure, look the name up again before the next request. */
  const forget = () => {
    resolvedAt = Number.NEGATIVE_INFINITY;
  };

  return {
    async send(ask, deadline) {
      try {
        const first = await next(deadline);
        try {
          return await ask(first);
        } catch (err) {
          if (!connectionLost(err) || deadline.aborted) throw err;
          forget();
          // Docker's DNS may list the dead replica for a moment yet: not that one again.
          return await ask(await next(deadline, first));
        }
      } catch (err) {
        if (!(isAxiosError(err) && err.response)) forget();
        throw err;
      }
    },
  };
}
