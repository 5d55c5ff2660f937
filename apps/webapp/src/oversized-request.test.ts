import { Agent, type OutgoingHttpHeaders, request as httpRequest } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { listen, silentLogger } from "@stockroom/http-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { createFakeApiClient } from "./testing/fake-api-client.js";
import { createFakeVisitStore } from "./testing/fake-visit-store.js";

// A real server, because Node's HTTP parser (not Express) rejects oversized headers.
const visits = createFakeVisitStore();
let server: Server;
let port: number;
beforeAll(async () => {
  const app = createApp({ visits, api: createFakeApiClient(), logger: silentLogger(), hostname: "webapp-1a2b", apiUrl: "http://api:5001" });
  server = await listen(app, { port: 0, host: "127.0.0.1" });
  ({ port } = server.address() as AddressInfo);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** One request on its own connection. */
function send(method: string, path: string, headers: OutgoingHttpHeaders = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers, agent: new Agent() }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("oversized requests", () => {
  it("answers a 32 KiB header with 431 and goes on serving", async () => {
    const res = await send("GET", "/", { "X-Padding": "a".repeat(32 * 1024) });

    expect(res.status).toBe(431);
    expect(res.body).toBe("");

    const next = await send("GET", "/healthz");
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body)).toEqual({ status: "ok" });
  });

  it("answers a POST to / with a 1 MiB body with a JSON 405, no stack, and records nothing", async () => {
    const before = visits.visits.length;

    const res = await send("POST", "/", { "Content-Type": "application/json" }, JSON.stringify({ x: "x".repeat(1024 * 1024) }));

    expect(res.status).toBe(405);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers.allow).toBe("GET, HEAD");
    expect(JSON.parse(res.body)).toEqual({ error: "Method POST is not allowed on /; allowed: GET, HEAD" });
    for (const internal of ["at ", "/app/", "node_modules", "Error:"]) expect(res.body).not.toContain(internal);
    expect(visits.visits).toHaveLength(before);

    const next = await send("GET", "/");
    expect(next.status).toBe(200);
  });
});
