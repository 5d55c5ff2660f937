import type { RequestListener } from "node:http";
import request from "supertest";
import { describe, expect, it } from "vitest";

// For both services' unit tests (apps/*/src): the checks every answer of either
// service must pass, through supertest.

export type Method = "get" | "head" | "post" | "put" | "patch" | "delete";

/**
 * One kind of answer a service gives: the request, the status it must get,
 * and, when it needs one, an app in another state (the database down).
 */
export type AnswerCase = [method: Method, path: string, status: number, app?: RequestListener];

export interface SecurityHeadersCase {
  /** As the tests name it: "the api speaks plain http". */
  service: string;
  /** The one Content-Security-Policy the service sends. */
  policy: string;
  app: RequestListener;
  /** Every kind of answer: pages, JSON, 404, 405, 415, 503... */
  answers: AnswerCase[];
}

/**
 * Registers the security-header tests both services share: securityHeaders()
 * is mounted first, so every answer carries the headers, errors included.
 */
export function describeSecurityHeaders({ service, policy, app, answers }: SecurityHeadersCase): void {
  describe("security headers", () => {
    it.each<AnswerCase>(answers)("are on %s %s (%i)", async (method, path, status, appInThatState = app) => {
      const res = await request(appInThatState)[method](path);

      expect(res.status).toBe(status);
      expect(res.headers["content-security-policy"]).toBe(policy);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["referrer-policy"]).toBe("no-referrer");
      expect(res.headers["x-powered-by"]).toBeUndefined();
    });

    it("sends one Content-Security-Policy, not one per mechanism", async () => {
      const res = await request(app).get("/");

      expect(res.headers["content-security-policy"]).toBe(policy);
      expect(res.headers["content-security-policy-report-only"]).toBeUndefined();
    });

    it(`leaves Strict-Transport-Security to whatever terminates TLS: the ${service} speaks plain http`, async () => {
      const res = await request(app).get("/");

      expect(res.headers["strict-transport-security"]).toBeUndefined();
    });
  });
}

/** What no response body may show: stack frames, container paths, dependencies, error names. */
const INTERNALS = ["at ", "/app/", "node_modules", "Error:"];

/** Fails if `text` shows any internal, or any of the `alsoHidden` strings (a secret path of the test's own). */
export function expectNoInternals(text: string, ...alsoHidden: string[]): void {
  for (const internal of [...INTERNALS, ...alsoHidden]) {
    expect(text).not.toContain(internal);
  }
}
