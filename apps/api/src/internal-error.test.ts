import { silentLogger } from "@stockroom/http-kit";
import request from "supertest";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

// A bug deep inside planning: the route must answer a bare 500, never the stack.
vi.mock("@stockroom/restock", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@stockroom/restock")>()),
  planRestock: () => {
    throw new Error("planner exploded at /srv/secret/plan.js");
  },
}));

describe("an unexpected error", () => {
  it("answers 500 internal server error without the message or stack", async () => {
    const app = createApp({ config: loadConfig({}), logger: silentLogger(), hostname: "api-test-1" });
    const res = await request(app).post("/restock").send({ items: [{ item: "Widget", stock: 5, sales: 10 }] });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: "internal server error" });
    expect(res.text).not.toContain("exploded");
    expect(res.text).not.toContain("/srv/secret");
    expect(res.headers["x-served-by"]).toBe("api-test-1");

    const next = await request(app).get("/healthz");
    expect(next.status).toBe(200);
  });
});
