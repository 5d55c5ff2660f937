import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { errorHandler, notFoundHandler } from "./error-handlers.js";
import { silentLogger } from "./logger.js";
import { securityHeaders } from "./security-headers.js";

function appWith(options?: Parameters<typeof securityHeaders>[0]) {
  const app = express();
  app.use(securityHeaders(options));
  app.get("/", (_req, res) => res.send("ok"));
  app.get("/boom", () => {
    throw new Error("boom");
  });
  app.use(notFoundHandler());
  app.use(errorHandler(silentLogger()));
  return app;
}

describe("securityHeaders", () => {
  it("sends a CSP that loads nothing, allows no base, no form posts and no framing", async () => {
    const res = await request(appWith()).get("/");

    expect(res.headers["content-security-policy"]).toBe(
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    );
  });

  it("allows inline styles, and nothing else more, when asked", async () => {
    const res = await request(appWith({ inlineStyles: true })).get("/");

    expect(res.headers["content-security-policy"]).toBe(
      "default-src 'none';style-src 'unsafe-inline';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    );
  });

  it("sends nosniff, X-Frame-Options DENY and no referrer, and hides Express", async () => {
    const res = await request(appWith()).get("/");

    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["cross-origin-resource-policy"]).toBe("same-origin");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("sends no Strict-Transport-Security: the services speak plain http, a TLS proxy owns HSTS", async () => {
    const res = await request(appWith()).get("/");

    expect(res.headers["strict-transport-security"]).toBeUndefined();
  });

  it.each([
    ["/nope", 404],
    ["/boom", 500],
  ])("puts them on error answers too (%s, %i)", async (path, status) => {
    const res = await request(appWith()).get(path);

    expect(res.status).toBe(status);
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });
});
