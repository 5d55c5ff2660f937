import { silentLogger } from "@stockroom/http-kit";
import request from "supertest";
import { describe, expect, it, vi } from "vitest";
import type { AppDeps } from "./app.js";
import { createApp } from "./app.js";
import type { Visit } from "./db/visit-store.js";
import { DatabaseUnavailableError } from "./db/visit-store.js";
import type { FakeApiClient, FakeVisitStore } from "./testing/fakes.js";
import { createFakeApiClient, createFakeVisitStore } from "./testing/fakes.js";

const API_URL = "http://api:5001";

interface Setup extends Omit<Partial<AppDeps>, "visits" | "api"> {
  visits?: FakeVisitStore;
  api?: FakeApiClient;
}

/** The app over in-memory fakes; returns the fakes so tests can look at them. */
function setup({
  visits = createFakeVisitStore(),
  api = createFakeApiClient({ ok: true, message: "Hello from the api", servedBy: "api-7f3c" }),
  ...rest
}: Setup = {}) {
  const app = createApp({ visits, api, logger: silentLogger(), hostname: "webapp-1a2b", apiUrl: API_URL, ...rest });
  return { app, visits, api };
}

function existingVisits(count: number): Visit[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    visitedAt: new Date(Date.UTC(2030, 0, 1, 0, 0, i)),
  }));
}

describe("GET /", () => {
  it("shows the api's message, which containers answered, the total and the recent visits", async () => {
    const { app } = setup({ visits: createFakeVisitStore(existingVisits(2)) });

    const res = await request(app).get("/").expect(200);

    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.text).toContain("<title>Stockroom</title>");
    expect(res.text).toContain("The API says: Hello from the api");
    expect(res.text).toContain("api-7f3c");
    expect(res.text).toContain("Served by webapp container <code>webapp-1a2b</code>");
    expect(res.text).toContain("Total visits: <strong>3</strong>");
    const listed = [...res.text.matchAll(/<li>#(\d+) at <time>([^<]+)<\/time><\/li>/g)].map((m) => [m[1], m[2]]);
    expect(listed).toEqual([
      ["3", "2030-06-01T00:00:01.000Z"],
      ["2", "2030-01-01T00:00:01.000Z"],
      ["1", "2030-01-01T00:00:00.000Z"],
    ]);
  });

  it("records exactly one visit per page load and asks the api each time", async () => {
    const { app, visits, api } = setup();

    await request(app).get("/").expect(200);
    await request(app).get("/").expect(200);

    expect(visits.visits).toHaveLength(2);
    expect(api.calls).toBe(2);
  });

  it("tells the client which visit row it wrote, in X-Visit-Id", async () => {
    const { app } = setup({ visits: createFakeVisitStore(existingVisits(3)) });

    const res = await request(app).get("/").expect(200);

    expect(res.headers["x-visit-id"]).toBe("4");
  });

  it("lists at most 50 visits, newest first", async () => {
    const { app } = setup({ visits: createFakeVisitStore(existingVisits(80)) });

    const res = await request(app).get("/").expect(200);

    const ids = [...res.text.matchAll(/<li>#(\d+) /g)].map((m) => Number(m[1]));
    expect(ids).toHaveLength(50);
    expect(ids[0]).toBe(81);
    expect(ids.at(-1)).toBe(32);
    expect(res.text).toContain("Total visits: <strong>81</strong>");
  });

  it("when the api is down, the page still renders and says so", async () => {
    const { app, visits } = setup({ api: createFakeApiClient({ ok: false, error: "ENOTFOUND api" }) });

    const res = await request(app).get("/").expect(200);

    expect(res.text).toContain(`Could not reach the API at <code>${API_URL}</code>: ENOTFOUND api`);
    expect(res.text).not.toContain("The API says");
    expect(res.text).toContain("Total visits: <strong>1</strong>");
    expect(visits.visits).toHaveLength(1);
  });

  it("when the database is down, answers a 503 page that says so", async () => {
    const visits = createFakeVisitStore();
    visits.down = true;

    const res = await request(setup({ visits }).app).get("/").expect(503);

    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.text).toContain("The database is not reachable right now");
    expect(res.text).toMatch(/recovers by itself/);
    expect(res.text).not.toContain("ECONNREFUSED");
  });

  it("when the tables are gone (database recreated), answers 503 and asks for the schema again", async () => {
    const visits = createFakeVisitStore();
    const onSchemaMissing = vi.fn();
    visits.recordVisit = async () => {
      throw new DatabaseUnavailableError(
        Object.assign(new Error('relation "visits" does not exist'), { code: "42P01" }),
      );
    };

    await request(setup({ visits, onSchemaMissing }).app).get("/").expect(503);

    expect(onSchemaMissing).toHaveBeenCalledOnce();
  });

  it("does not ask for the schema again when the database is merely down", async () => {
    const visits = createFakeVisitStore();
    visits.down = true;
    const onSchemaMissing = vi.fn();

    await request(setup({ visits, onSchemaMissing }).app).get("/api/visits").expect(503);

    expect(onSchemaMissing).not.toHaveBeenCalled();
  });

  it("escapes what the api says and the hostname: never raw markup", async () => {
    const { app } = setup({
      api: createFakeApiClient({ ok: true, message: "<script>alert(1)</script>", servedBy: `"><img src=x>` }),
      hostname: "<b>webapp</b>",
    });

    const res = await request(app).get("/").expect(200);

    expect(res.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(res.text).not.toContain("<script>");
    expect(res.text).toContain("&lt;b&gt;webapp&lt;/b&gt;");
    expect(res.text).not.toContain("<b>");
    expect(res.text).not.toContain("<img");
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
  });

  it("escapes the api error and the api URL too", async () => {
    const { app } = setup({
      api: createFakeApiClient({ ok: false, error: "<i>bad</i>" }),
      apiUrl: "http://api:5001/?a=<x>",
    });

    const res = await request(app).get("/").expect(200);

    expect(res.text).toContain("&lt;i&gt;bad&lt;/i&gt;");
    expect(res.text).toContain("http://api:5001/?a=&lt;x&gt;");
    expect(res.text).not.toContain("<i>");
    expect(res.text).not.toContain("<x>");
  });
});

describe("HEAD /", () => {
  it("answers 200 with the page's headers, and records no visit", async () => {
    const { app, visits, api } = setup({ visits: createFakeVisitStore(existingVisits(2)) });

    const res = await request(app).head("/").expect(200);

    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers["x-visit-id"]).toBeUndefined();
    expect(res.text).toBeUndefined();
    expect(visits.visits).toHaveLength(2);
    expect(api.calls).toBe(0);
  });

  it("asks neither the database nor the api: answers 200 even while the database is down", async () => {
    const visits = createFakeVisitStore();
    visits.down = true;
    const { app, api } = setup({ visits });

    await request(app).head("/").expect(200);

    expect(api.calls).toBe(0);
  });

  it("does not change GET /, which still records one visit", async () => {
    const { app, visits } = setup();

    await request(app).head("/").expect(200);
    await request(app).get("/").expect(200);
    await request(app).head("/").expect(200);

    expect(visits.visits).toHaveLength(1);
  });
});

describe("GET /api/visits", () => {
  it("answers the total and the recent visits as JSON, newest first, without recording one", async () => {
    const { app, visits, api } = setup({ visits: createFakeVisitStore(existingVisits(3)) });

    const res = await request(app).get("/api/visits").expect(200);

    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      total: 3,
      visits: [
        { id: 3, visitedAt: "2030-01-01T00:00:02.000Z" },
        { id: 2, visitedAt: "2030-01-01T00:00:01.000Z" },
        { id: 1, visitedAt: "2030-01-01T00:00:00.000Z" },
      ],
    });
    expect(visits.visits).toHaveLength(3);
    expect(api.calls).toBe(0);
  });

  it("lists at most 50", async () => {
    const { app } = setup({ visits: createFakeVisitStore(existingVisits(60)) });

    const res = await request(app).get("/api/visits").expect(200);

    expect(res.body.total).toBe(60);
    expect(res.body.visits).toHaveLength(50);
    expect(res.body.visits[0].id).toBe(60);
  });

  it("when the database is down, answers 503 JSON", async () => {
    const visits = createFakeVisitStore();
    visits.down = true;

    const res = await request(setup({ visits }).app).get("/api/visits").expect(503);

    expect(res.body).toEqual({ error: "the database is not reachable right now" });
  });
});

describe("health and readiness", () => {
  it("/healthz answers 200 while the process is up, even with the database down", async () => {
    const visits = createFakeVisitStore();
    visits.down = true;

    const res = await request(setup({ visits, isReady: () => false }).app)
      .get("/healthz")
      .expect(200);

    expect(res.body).toEqual({ status: "ok" });
  });

  it("/readyz answers ready once the schema is in place and the database answers", async () => {
    const res = await request(setup({ isReady: () => true }).app)
      .get("/readyz")
      .expect(200);

    expect(res.body).toEqual({ status: "ready" });
  });

  it("/readyz answers 503 while the schema is not in place yet", async () => {
    const res = await request(setup({ isReady: () => false }).app)
      .get("/readyz")
      .expect(503);

    expect(res.body).toEqual({ status: "unavailable", error: "the database schema is not ready yet" });
  });

  it("/readyz answers 503 with the reason when the database stops answering", async () => {
    const visits = createFakeVisitStore();
    visits.down = true;

    const res = await request(setup({ visits }).app).get("/readyz").expect(503);

    expect(res.body.status).toBe("unavailable");
    expect(res.body.error).toMatch(/ECONNREFUSED/);
  });

  it("/readyz follows the database: back to ready when it returns", async () => {
    const visits = createFakeVisitStore();
    const app = setup({ visits }).app;

    visits.down = true;
    await request(app).get("/readyz").expect(503);
    visits.down = false;
    await request(app).get("/readyz").expect(200);
  });
});

describe("everything else", () => {
  it("answers 404 JSON for unknown paths", async () => {
    const { app } = setup();

    const res = await request(app).get("/nope").expect(404);

    expect(res.body).toEqual({ error: "Not found: GET /nope" });
  });

  it.each(["/", "/api/visits", "/healthz", "/readyz"])("answers 405 with an Allow header for POST %s", async (path) => {
    const { app, visits } = setup();

    const res = await request(app).post(path).expect(405);

    expect(res.headers.allow).toBe("GET, HEAD");
    expect(res.body.error).toMatch(/not allowed/);
    expect(visits.visits).toHaveLength(0);
  });

  it.each(["put", "patch", "delete"] as const)("answers %s / with 405 too, and records nothing", async (method) => {
    const { app, visits } = setup();

    const res = await request(app)[method]("/").expect(405);

    expect(res.headers.allow).toBe("GET, HEAD");
    expect(visits.visits).toHaveLength(0);
  });

  it("does not say it is Express", async () => {
    const { app } = setup();

    const res = await request(app).get("/healthz");

    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("answers an unexpected failure with a plain 500, no stack trace", async () => {
    const visits = createFakeVisitStore();
    visits.recordVisit = async () => {
      throw new Error("bug at /srv/app/secret.ts:12");
    };

    const res = await request(setup({ visits }).app).get("/").expect(500);

    expect(res.body).toEqual({ error: "internal server error" });
    expect(res.text).not.toContain("secret.ts");
  });
});
