import { describe, expect, it } from "vitest";
import { renderDatabaseUnavailablePage, renderHomePage } from "./pages.js";

const base = {
  apiUrl: "http://api:5001",
  hostname: "webapp-1",
  total: 0,
  recentVisits: [],
};

describe("renderHomePage", () => {
  it("is a complete page with no external assets", () => {
    const page = renderHomePage({ ...base, greeting: { ok: true, message: "hi" } });

    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain("<title>Stockroom</title>");
    expect(page).not.toMatch(/<(script|link|img)\b/);
    expect(page).not.toMatch(/(src|href)=/);
  });

  it("says when there are no visits yet", () => {
    const page = renderHomePage({ ...base, greeting: { ok: true, message: "hi" } });

    expect(page).toContain("No visits yet.");
  });

  it("leaves the api container out when the api did not say", () => {
    const page = renderHomePage({ ...base, greeting: { ok: true, message: "hi" } });

    expect(page).not.toContain("Answered by api container");
  });
});

describe("renderDatabaseUnavailablePage", () => {
  it("says the database is unreachable, that it recovers by itself, and escapes the hostname", () => {
    const page = renderDatabaseUnavailablePage({ hostname: "<b>x</b>" });

    expect(page).toContain("The database is not reachable right now");
    expect(page).toContain("recovers by itself");
    expect(page).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(page).not.toContain("<b>x</b>");
  });
});
