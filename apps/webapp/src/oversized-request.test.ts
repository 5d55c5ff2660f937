import { silentLogger } from "@stockroom/http-kit";
import { describe, expect, it } from "vitest";
import { itAnswersOversizedHeadersWith431, serveForTests } from "../../../test/support/live-server.js";
import { expectNoInternals } from "../../../test/support/response-checks.js";
import { createApp } from "./app.js";
import { createFakeApiClient, createFakeVisitStore } from "./testing/fakes.js";

// A real server, because Node's HTTP parser (not Express) rejects oversized headers.
const API_URL = "http://api:5001";
const visits = createFakeVisitStore();
const live = serveForTests(() =>
  createApp({ visits, api: createFakeApiClient(), logger: silentLogger(), hostname: "webapp-1a2b", apiUrl: API_URL }),
);

describe("oversized requests", () => {
  itAnswersOversizedHeadersWith431(live, "/");

  it("answers a POST to / with a 1 MiB body with a JSON 405, no stack, and records nothing", async () => {
    const before = visits.visits.length;

    const body = JSON.stringify({ x: "x".repeat(1024 * 1024) });
    const res = await live.send("POST", "/", { headers: { "Content-Type": "application/json" }, body });

    expect(res.status).toBe(405);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers.allow).toBe("GET, HEAD");
    expect(JSON.parse(res.body)).toEqual({ error: "Method POST is not allowed on /; allowed: GET, HEAD" });
    expectNoInternals(res.body);
    expect(visits.visits).toHaveLength(before);

    const next = await live.send("GET", "/");
    expect(next.status).toBe(200);
  });
});
