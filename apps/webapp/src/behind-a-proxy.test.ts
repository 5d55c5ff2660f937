import { pino } from "pino";
import request from "supertest";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "./app.js";
import { createFakeApiClient, createFakeVisitStore } from "./testing/fakes.js";

// Behind the proxy (docker-compose.proxy.yml) every request comes from nginx:
// the webapp says which replica answered, and logs the client nginx names in
// X-Forwarded-For, but only when nginx is on a network it was told to trust.
// supertest connects from loopback, which stands in for the proxy here.

interface RequestLine {
  msg: string;
  req: { remoteAddress: string; proxyAddress?: string };
}

/** The app over fakes, with a logger that keeps the request lines it writes. */
function setup(trustProxy?: readonly string[]) {
  const lines: RequestLine[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const visits = createFakeVisitStore();
  const app = createApp({
    visits,
    api: createFakeApiClient(),
    logger,
    hostname: "webapp-1a2b",
    apiUrl: "http://api:5001",
    ...(trustProxy ? { trustProxy } : {}),
  });
  return { app, lines, visits };
}

/** The one request line logged for a page load that claims to come from `forwardedFor`. */
async function loggedAddress(trustProxy: readonly string[] | undefined, forwardedFor: string) {
  const { app, lines } = setup(trustProxy);
  expect((await request(app).get("/").set("X-Forwarded-For", forwardedFor)).status).toBe(200);
  await vi.waitFor(() => expect(lines.filter((line) => line.req)).toHaveLength(1));
  return lines.find((line) => line.req)!.req;
}

const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$|^::1$/;

describe("X-Served-By", () => {
  it("names the container that answered, on the page and on every other answer", async () => {
    const { app, visits } = setup();
    const page = await request(app).get("/");
    visits.down = true;
    const unavailable = await request(app).get("/");

    for (const res of [page, unavailable, await request(app).get("/nowhere"), await request(app).post("/")]) {
      expect(res.headers["x-served-by"]).toBe("webapp-1a2b");
    }
    expect([page.status, unavailable.status]).toEqual([200, 503]);
  });
});

describe("the client's address in the request log", () => {
  it("is the one X-Forwarded-For names when the request comes from a trusted proxy, with the proxy beside it", async () => {
    const req = await loggedAddress(["loopback"], "203.0.113.7");

    expect(req.remoteAddress).toBe("203.0.113.7");
    expect(req.proxyAddress).toMatch(LOOPBACK);
  });

  it("is the nearest untrusted hop: an address the client wrote in X-Forwarded-For itself is ignored", async () => {
    // nginx appends the address it saw to whatever the client sent.
    const req = await loggedAddress(["loopback"], "6.6.6.6, 203.0.113.7");

    expect(req.remoteAddress).toBe("203.0.113.7");
  });

  it("is the socket's peer when nothing is trusted (the default): X-Forwarded-For is not believed", async () => {
    const req = await loggedAddress(undefined, "203.0.113.7");

    expect(req.remoteAddress).toMatch(LOOPBACK);
    expect(req.proxyAddress).toBeUndefined();
  });

  it("is the socket's peer when the request comes from outside the trusted subnet", async () => {
    const req = await loggedAddress(["10.213.47.0/24"], "203.0.113.7");

    expect(req.remoteAddress).toMatch(LOOPBACK);
    expect(req.proxyAddress).toBeUndefined();
  });
});
