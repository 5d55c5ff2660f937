import { silentLogger } from "@stockroom/http-kit";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { expectNoInternals } from "../../../test/support/response-checks.js";
import { createApp } from "./app.js";
import type { FakeApiClient, FakeVisitStore } from "./testing/fakes.js";
import { createFakeApiClient, createFakeVisitStore } from "./testing/fakes.js";

/** A bug, with the stack it would have in the container. */
function bug(): TypeError {
  return Object.assign(new TypeError("Cannot read properties of undefined (reading 'rows') at /srv/secret"), {
    stack: [
      "TypeError: Cannot read properties of undefined (reading 'rows') at /srv/secret",
      "    at toVisit (/app/apps/webapp/dist/db/visit-store.js:48:21)",
      "    at /app/node_modules/pg-pool/index.js:45:11",
    ].join("\n"),
  });
}

function setup() {
  const visits = createFakeVisitStore();
  const api = createFakeApiClient();
  const app = createApp({ visits, api, logger: silentLogger(), hostname: "webapp-1a2b", apiUrl: "http://api:5001" });
  return { app, visits, api };
}

describe("an unexpected error", () => {
  it.each<[string, string, (fakes: { visits: FakeVisitStore; api: FakeApiClient }) => void]>([
    [
      "recording the visit",
      "/",
      ({ visits }) => {
        visits.recordVisit = async () => Promise.reject(bug());
      },
    ],
    [
      "the api client, which must never throw",
      "/",
      ({ api }) => {
        api.fetchGreeting = async () => Promise.reject(bug());
      },
    ],
    [
      "listing the visits",
      "/api/visits",
      ({ visits }) => {
        visits.listRecentVisits = async () => Promise.reject(bug());
      },
    ],
  ])("in %s answers GET %s with a bare JSON 500, without the message or the stack", async (_where, path, breakIt) => {
    const { app, visits, api } = setup();
    breakIt({ visits, api });

    const res = await request(app).get(path);

    expect(res.status).toBe(500);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: "internal server error" });
    expectNoInternals(res.text, "/srv/secret", "Cannot read");

    const next = await request(app).get("/healthz");
    expect(next.status).toBe(200);
  });
});
