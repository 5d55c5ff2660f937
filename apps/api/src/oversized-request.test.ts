import { Agent, type OutgoingHttpHeaders, request as httpRequest } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { listen, silentLogger } from "@stockroom/http-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { bodyLimitFor, loadConfig } from "./config.js";

// A real server, because Node's HTTP parser (not Express) rejects oversized
// headers. (Bodies over the limit with a Content-Length: routes/restock.test.ts.)
const MAX_ITEMS = 1;
let server: Server;
let port: number;
beforeAll(async () => {
  const config = loadConfig({ RESTOCK_MAX_ITEMS: String(MAX_ITEMS) });
  server = await listen(createApp({ config, logger: silentLogger(), hostname: "api-test-1" }), { port: 0, host: "127.0.0.1" });
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

/** One request on its own connection; `chunks` are written one by one, so the body has no Content-Length. */
function send(method: string, path: string, headers: OutgoingHttpHeaders = {}, chunks: string[] = []): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers, agent: new Agent() }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe("oversized requests", () => {
  it("answers a 32 KiB header with 431 and goes on serving", async () => {
    const res = await send("GET", "/healthz", { "X-Padding": "a".repeat(32 * 1024) });

    expect(res.status).toBe(431);
    expect(res.body).toBe("");

    const next = await send("GET", "/healthz");
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body)).toEqual({ status: "ok" });
  });

  it("answers a streamed body over the byte limit (no Content-Length) with a JSON 413 and goes on serving", async () => {
    const limit = bodyLimitFor(MAX_ITEMS);
    const chunks = ['{"items":[{"item":"', ...Array.from({ length: 8 }, () => "x".repeat(limit / 4)), '","stock":1,"sales":1}]}'];

    const res = await send("POST", "/restock", { "Content-Type": "application/json" }, chunks);

    expect(res.status).toBe(413);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ error: `request body is larger than the limit of ${limit} bytes` });

    const next = await send("POST", "/restock", { "Content-Type": "application/json" }, ['{"items":[]}']);
    expect(next.status).toBe(200);
  });
});
