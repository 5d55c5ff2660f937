import { silentLogger } from "@stockroom/http-kit";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

const app = createApp({ config: loadConfig({}), logger: silentLogger(), hostname: "api-test-1" });

// The api answers JSON and text only: it needs no styles, scripts, frames or forms.
const POLICY = "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'";

describe("security headers", () => {
  it.each([
    ["get", "/", 200],
    ["get", "/healthz", 200],
    ["get", "/whoami", 200],
    ["get", "/no-such-page", 404],
    ["delete", "/whoami", 405],
    ["post", "/restock", 415],
  ] as const)("are on %s %s (%i)", async (method, path, status) => {
    const res = await request(app)[method](path);

    expect(res.status).toBe(status);
    expect(res.headers["content-security-policy"]).toBe(POLICY);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("leaves Strict-Transport-Security to whatever terminates TLS: the api speaks plain http", async () => {
    const res = await request(app).get("/");

    expect(res.headers["strict-transport-security"]).toBeUndefined();
  });
});
