import { silentLogger } from "@stockroom/http-kit";
import { describeSecurityHeaders } from "../../../test/support/response-checks.js";
import { createApp } from "./app.js";
import { createFakeApiClient, createFakeVisitStore } from "./testing/fakes.js";

// The headers every answer carries, whatever it is: the page, the 503 page, JSON, a 404, a 405.

function setup({ databaseDown = false } = {}) {
  const visits = createFakeVisitStore();
  visits.down = databaseDown;
  const api = createFakeApiClient();
  return createApp({ visits, api, logger: silentLogger(), hostname: "webapp-1a2b", apiUrl: "http://api:5001" });
}

const databaseDown = setup({ databaseDown: true });

describeSecurityHeaders({
  service: "webapp",
  // The page loads nothing from anywhere; its inline <style> is all it needs.
  policy: "default-src 'none';style-src 'unsafe-inline';base-uri 'none';form-action 'none';frame-ancestors 'none'",
  app: setup(),
  answers: [
    ["get", "/", 200],
    ["head", "/", 200],
    ["get", "/", 503, databaseDown],
    ["get", "/api/visits", 200],
    ["get", "/healthz", 200],
    ["get", "/no-such-page", 404],
    ["post", "/", 405],
  ],
});
