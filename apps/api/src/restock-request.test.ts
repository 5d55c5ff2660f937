import { silentLogger } from "@stockroom/http-kit";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { serveForTests } from "../../../test/support/live-server.js";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";
import { MAX_DETAILS } from "./restock-request.js";

const WIDGET = { item: "Widget", stock: 5, sales: 10 };
const MAX_ITEMS = 3;

// One real server for the whole file, so "still serves the next request"
// means the same listening app, not a fresh one.
const config = loadConfig({ RESTOCK_MAX_ITEMS: String(MAX_ITEMS) });
const live = serveForTests(() => createApp({ config, logger: silentLogger(), hostname: "api-test-1" }));

const postJson = (body: unknown) =>
  request(live.server)
    .post("/restock")
    .send(body as object);
const postRaw = (contentType: string, body: string) =>
  request(live.server).post("/restock").set("Content-Type", contentType).send(body);

describe("POST /restock", () => {
  it("plans the seed example with the default threshold 2 and strategy simple", async () => {
    const res = await postJson({ items: [WIDGET] });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      threshold: 2,
      strategy: "simple",
      needRestock: 1,
      results: [{ item: "Widget", current_stock: 5, recent_sales: 10, restock: true, recommended_order: 15 }],
    });
  });

  it("applies a threshold override", async () => {
    const res = await postJson({ items: [WIDGET, { item: "Gizmo", stock: 50, sales: 10 }], threshold: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ threshold: 3, strategy: "simple", needRestock: 1 });
    expect(res.body.results).toEqual([
      { item: "Widget", current_stock: 5, recent_sales: 10, restock: true, recommended_order: 25 },
      { item: "Gizmo", current_stock: 50, recent_sales: 10, restock: false, recommended_order: 0 },
    ]);
  });

  it("forecasts from sales_history with strategy weighted", async () => {
    // (1*4 + 2*10 + 3*16) / 6 = 12 per period; 12 * 2 - 5 = 19 to order.
    const res = await postJson({ items: [{ ...WIDGET, sales_history: [4, 10, 16] }], strategy: "weighted" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      threshold: 2,
      strategy: "weighted",
      needRestock: 1,
      results: [
        {
          item: "Widget",
          current_stock: 5,
          recent_sales: 10,
          restock: true,
          recommended_order: 19,
          forecast_sales: 12,
        },
      ],
    });
  });

  it("answers an empty items array with empty results", async () => {
    const res = await postJson({ items: [] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ threshold: 2, strategy: "simple", needRestock: 0, results: [] });
  });

  it("accepts exactly RESTOCK_MAX_ITEMS items", async () => {
    const res = await postJson({ items: Array.from({ length: MAX_ITEMS }, () => WIDGET) });
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(MAX_ITEMS);
  });

  it("returns at most MAX_DETAILS details however many items are wrong", async () => {
    const big = createApp({ config: loadConfig({}), logger: silentLogger(), hostname: "api-test-1" });
    const items = Array.from({ length: MAX_DETAILS + 5 }, () => ({ ...WIDGET, sales: -1 }));
    const res = await request(big).post("/restock").send({ items });
    expect(res.status).toBe(400);
    expect(res.body.details).toHaveLength(MAX_DETAILS);
  });
});

interface BadRequest {
  name: string;
  send: () => request.Test;
  status: number;
  error: string | RegExp;
  details?: { path: string; message: string }[];
}

const badRequests: BadRequest[] = [
  {
    name: "a stock that is a string",
    send: () => postJson({ items: [{ ...WIDGET, stock: "five" }] }),
    status: 400,
    error: "items[0].stock: must be a number >= 0",
    details: [{ path: "items[0].stock", message: "must be a number >= 0" }],
  },
  {
    name: "an item without sales",
    send: () => postJson({ items: [{ item: "Widget", stock: 5 }] }),
    status: 400,
    error: "items[0].sales: is required",
    details: [{ path: "items[0].sales", message: "is required" }],
  },
  {
    name: "negative sales on the third item",
    send: () => postJson({ items: [WIDGET, WIDGET, { ...WIDGET, sales: -4 }] }),
    status: 400,
    error: "items[2].sales: must be a number >= 0",
    details: [{ path: "items[2].sales", message: "must be a number >= 0" }],
  },
  {
    name: "a negative entry in sales_history",
    send: () => postJson({ items: [{ ...WIDGET, sales_history: [4, -1] }] }),
    status: 400,
    error: "items[0].sales_history[1]: entries must be numbers >= 0",
    details: [{ path: "items[0].sales_history[1]", message: "entries must be numbers >= 0" }],
  },
  {
    name: "an item that is not an object",
    send: () => postJson({ items: ["Widget"] }),
    status: 400,
    error: "items[0]: expected an object with item, stock and sales",
  },
  {
    name: "threshold 0",
    send: () => postJson({ items: [WIDGET], threshold: 0 }),
    status: 400,
    error: "threshold: must be a number > 0",
    details: [{ path: "threshold", message: "must be a number > 0" }],
  },
  {
    name: 'threshold "abc"',
    send: () => postJson({ items: [WIDGET], threshold: "abc" }),
    status: 400,
    error: "threshold: must be a number > 0",
  },
  {
    name: "an unknown strategy",
    send: () => postJson({ items: [WIDGET], strategy: "median" }),
    status: 400,
    error: 'strategy: must be "simple" or "weighted"',
  },
  {
    name: "items that are not an array",
    send: () => postJson({ items: "Widget" }),
    status: 400,
    error: "items: expected a JSON array of items, got string",
    details: [{ path: "items", message: "expected a JSON array of items, got string" }],
  },
  {
    name: "no items at all",
    send: () => postJson({ threshold: 2 }),
    status: 400,
    error: /^items: /,
  },
  {
    name: "a JSON array instead of an object",
    send: () => postJson([WIDGET]),
    status: 400,
    error: "request body: must be a JSON object with an items array",
    details: [{ path: "", message: "must be a JSON object with an items array" }],
  },
  {
    name: "a malformed JSON body",
    send: () => postRaw("application/json", '{"items": [{"item": "Wid'),
    status: 400,
    error: "request body is not valid JSON",
  },
  {
    name: "a text/plain body",
    send: () => postRaw("text/plain", "Widget,5,10"),
    status: 415,
    error: /Content-Type: application\/json.*text\/plain/,
  },
  {
    name: "no body and no Content-Type",
    send: () => request(live.server).post("/restock"),
    status: 415,
    error: /application\/json/,
  },
  {
    name: "more items than RESTOCK_MAX_ITEMS",
    send: () => postJson({ items: Array.from({ length: MAX_ITEMS + 1 }, () => WIDGET) }),
    status: 413,
    error: `too many items: got ${MAX_ITEMS + 1}, the limit is ${MAX_ITEMS} per request`,
  },
  {
    name: "a body larger than the byte limit",
    send: () => postJson({ items: [{ ...WIDGET, item: "x".repeat(100_000) }] }),
    status: 413,
    error: /^request body is larger than the limit of \d+ bytes$/,
  },
];

describe("POST /restock with bad input", () => {
  it.each(badRequests)(
    "answers $name with a $status JSON naming the problem",
    async ({ send, status, error, details }) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      if (typeof error === "string") expect(res.body.error).toBe(error);
      else expect(res.body.error).toMatch(error);
      if (details) expect(res.body.details).toEqual(details);
      expect(res.text).not.toMatch(/\bat .*\.(js|ts):\d+/);

      const next = await postJson({ items: [WIDGET] });
      expect(next.status).toBe(200);
      expect(next.body.needRestock).toBe(1);
    },
  );
});
