import { silentLogger } from "@stockroom/http-kit";
import request from "supertest";
import { describe, expect, it, vi } from "vitest";
import { expectNoInternals } from "../../../test/support/response-checks.js";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

// A bug deep inside planning, with the stack it would have in the container:
// the route must answer a bare 500, never the message or the stack.
vi.mock("@stockroom/restock", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@stockroom/restock")>()),
  planRestock: () => {
    throw Object.assign(new TypeError("planner exploded at /srv/secret/plan.js"), {
      stack: [
        "TypeError: planner exploded at /srv/secret/plan.js",
        "    at planRestock (/app/node_modules/@stockroom/restock/dist/plan-restock.js:12:11)",
        "    at /app/apps/api/dist/app.js:64:25",
      ].join("\n"),
    });
  },
}));

const app = createApp({ config: loadConfig({}), logger: silentLogger(), hostname: "api-test-1" });

describe("an unexpected error", () => {
  it("answers 500 internal server error without the message or stack", async () => {
    const res = await request(app)
      .post("/restock")
      .send({ items: [{ item: "Widget", stock: 5, sales: 10 }] });

    expect(res.status).toBe(500);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: "internal server error" });
    expect(res.text).not.toContain("exploded");
    expectNoInternals(res.text, "/srv/secret");
    expect(res.headers["x-served-by"]).toBe("api-test-1");

    const next = await request(app).get("/healthz");
    expect(next.status).toBe(200);
  });
});

describe("a malformed JSON body", () => {
  it.each(['{"items": [{"item": "Wid', "items=Widget", "{'items': []}", '{"items": [],}', "\u0000"])(
    "%j answers a 400 JSON without the parser's own words",
    async (body) => {
      const res = await request(app).post("/restock").set("Content-Type", "application/json").send(body);

      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.body).toEqual({ error: "request body is not valid JSON" });
      for (const internal of ["SyntaxError", "Unexpected", "position", "JSON.parse", "body-parser"]) {
        expect(res.text).not.toContain(internal);
      }
      expectNoInternals(res.text, "/srv/secret");
    },
  );
});
