import { silentLogger } from "@stockroom/http-kit";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { createFakeApiClient } from "./testing/fake-api-client.js";
import { createFakeVisitStore } from "./testing/fake-visit-store.js";

// The page loads nothing from anywhere; its inline <style> is all it needs.
const POLICY = "default-src 'none';style-src 'unsafe-inline';base-uri 'none';form-action 'none';frame-ancestors 'none'";

function setup({ databaseDown = false } = {}) {
  const visits = createFakeVisitStore();
  visits.down = databaseDown;
  return createApp({ visits, api: createFakeApiClient(), logger: silentLogger(), hostname: "webapp-1a2b", apiUrl: "http://api:5001" });
}

describe("security headers", () => {
  it.each([
    ["get", "/", 200, false],
    ["head", "/", 200, false],
    ["get", "/", 503, true],
    ["get", "/api/visits", 200, false],
    ["get", "/healthz", 200, false],
    ["get", "/no-such-page", 404, false],
    ["post", "/", 405, false],
  ] as const)("are on %s %s (%i)", async (method, path, status, databaseDown) => {
    const res = await request(setup({ databaseDown }))[method](path);

    expect(res.status).toBe(status);
    expect(res.headers["content-security-policy"]).toBe(POLICY);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("sends one Content-Security-Policy, not one per mechanism", async () => {
    const res = await request(setup()).get("/");

    expect(res.headers["content-security-policy"]).toBe(POLICY);
    expect(res.headers["content-security-policy-report-only"]).toBeUndefined();
  });

  it("leaves Strict-Transport-Security to whatever terminates TLS: the webapp speaks plain http", async () => {
    const res = await request(setup()).get("/");

    expect(res.headers["strict-transport-security"]).toBeUndefined();
  });
});
