import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { describeError, errorHandler, HttpError, methodNotAllowed, notFoundHandler } from "./error-handlers.js";
import { silentLogger } from "./logger.js";

function appWith(route: (app: express.Express) => void) {
  const app = express();
  app.use(express.json({ limit: 64 }));
  route(app);
  app.use(notFoundHandler());
  app.use(errorHandler(silentLogger()));
  return app;
}

describe("error handlers", () => {
  it("answers unknown routes with a JSON 404 naming the route", async () => {
    const res = await request(appWith(() => {})).get("/nope");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: "Not found: GET /nope" });
  });

  it("answers a wrong method with 405 and an Allow header", async () => {
    const app = appWith((a) =>
      a
        .route("/thing")
        .get((_req, res) => res.send("ok"))
        .all(methodNotAllowed(["GET", "HEAD"])),
    );
    const res = await request(app).delete("/thing");
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, HEAD");
    expect(res.body.error).toMatch(/DELETE is not allowed on \/thing/);
  });

  it("passes an HttpError's status, message and details to the client", async () => {
    const app = appWith((a) =>
      a.get("/bad", () => {
        throw new HttpError(422, "items[0].sales is wrong", [{ path: "items.0.sales" }]);
      }),
    );
    const res = await request(app).get("/bad");
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: "items[0].sales is wrong", details: [{ path: "items.0.sales" }] });
  });

  it("answers malformed JSON with 400 and an oversized body with 413", async () => {
    const app = appWith((a) => a.post("/echo", (req, res) => res.json(req.body)));
    const malformed = await request(app).post("/echo").set("content-type", "application/json").send('{"a":');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: "request body is not valid JSON" });
    const large = await request(app)
      .post("/echo")
      .send({ text: "x".repeat(200) });
    expect(large.status).toBe(413);
    expect(large.body.error).toMatch(/larger than the limit of 64 bytes/);
  });

  it("hides internal errors behind a plain 500: no message, stack or path leaks", async () => {
    const app = appWith((a) =>
      a.get("/boom", async () => {
        throw new Error("connect ECONNREFUSED /srv/secret/path.sock");
      }),
    );
    const res = await request(app).get("/boom");
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: "internal server error" });
    expect(res.text).not.toMatch(/ECONNREFUSED|secret|at /);
  });
});

describe("describeError", () => {
  it("uses an error's message", () => {
    expect(describeError(new Error("connect ECONNREFUSED 10.0.0.2:5432"))).toBe("connect ECONNREFUSED 10.0.0.2:5432");
  });

  it("spells out an AggregateError with no message (localhost refusing on ::1 and 127.0.0.1)", () => {
    const err = new AggregateError([
      new Error("connect ECONNREFUSED ::1:1"),
      new Error("connect ECONNREFUSED 127.0.0.1:1"),
    ]);

    expect(describeError(err)).toBe("connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1");
  });

  it("falls back to the code, then the name, then String()", () => {
    expect(describeError(Object.assign(new Error(""), { code: "ECONNRESET" }))).toBe("ECONNRESET");
    expect(describeError(new TypeError(""))).toBe("TypeError");
    expect(describeError("plain")).toBe("plain");
  });
});
