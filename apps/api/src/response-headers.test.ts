import { silentLogger } from "@stockroom/http-kit";
import request from "supertest";
import { describe, expect, it } from "vitest";
import type { AnswerCase } from "../../../test/support/response-checks.js";
import { describeSecurityHeaders } from "../../../test/support/response-checks.js";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

// The headers every answer carries, whatever it is: the route, a 404, a 405, a 415.

const HOSTNAME = "api-test-1";
const app = createApp({ config: loadConfig({}), logger: silentLogger(), hostname: HOSTNAME });

const EVERY_KIND_OF_ANSWER: AnswerCase[] = [
  ["get", "/", 200],
  ["get", "/healthz", 200],
  ["get", "/whoami", 200],
  ["get", "/no-such-page", 404],
  ["delete", "/whoami", 405],
  ["post", "/restock", 415],
];

describeSecurityHeaders({
  service: "api",
  // The api answers JSON and text only: it needs no styles, scripts, frames or forms.
  policy: "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
  app,
  answers: EVERY_KIND_OF_ANSWER,
});

describe("X-Served-By", () => {
  it.each(EVERY_KIND_OF_ANSWER)("names the replica on %s %s (%i)", async (method, path, status) => {
    const res = await request(app)[method](path);
    expect(res.status).toBe(status);
    expect(res.headers["x-served-by"]).toBe(HOSTNAME);
  });
});
