import { silentLogger } from "@stockroom/http-kit";
import { describe, expect, it } from "vitest";
import { itAnswersOversizedHeadersWith431, serveForTests } from "../../../test/support/live-server.js";
import { createApp } from "./app.js";
import { bodyLimitFor, loadConfig } from "./config.js";

// A real server, because Node's HTTP parser (not Express) rejects oversized
// headers. (Bodies over the limit with a Content-Length: restock-request.test.ts.)
const MAX_ITEMS = 1;
const config = loadConfig({ RESTOCK_MAX_ITEMS: String(MAX_ITEMS) });
const live = serveForTests(() => createApp({ config, logger: silentLogger(), hostname: "api-test-1" }));
const asJson = { "Content-Type": "application/json" };

describe("oversized requests", () => {
  itAnswersOversizedHeadersWith431(live, "/healthz");

  it("answers a streamed body over the byte limit (no Content-Length) with a JSON 413 and goes on serving", async () => {
    const limit = bodyLimitFor(MAX_ITEMS);
    const padding = Array.from({ length: 8 }, () => "x".repeat(limit / 4));
    const chunks = ['{"items":[{"item":"', ...padding, '","stock":1,"sales":1}]}'];

    const res = await live.send("POST", "/restock", { headers: asJson, chunks });

    expect(res.status).toBe(413);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ error: `request body is larger than the limit of ${limit} bytes` });

    const next = await live.send("POST", "/restock", { headers: asJson, chunks: ['{"items":[]}'] });
    expect(next.status).toBe(200);
  });
});
