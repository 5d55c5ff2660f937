import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPage, totalVisitsOn } from "../support/page.js";
import { removeStack, type Stack, startStack } from "../support/stack.js";

describe("docker compose up --build", () => {
  let stack: Stack | undefined;

  beforeAll(async () => {
    stack = await startStack({ label: "page" });
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it("serves a page that shows the api's message, found by hostname", async () => {
    const page = await loadPage(stack!.webappUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain("The API says: Hello from the API container!");
  });

  it("records one visit in Postgres per page load", async () => {
    const before = totalVisitsOn((await loadPage(stack!.webappUrl)).html);
    const after = totalVisitsOn((await loadPage(stack!.webappUrl)).html);
    expect(after).toBe(before + 1);
  });

  it("lists the visits as JSON without recording one", async () => {
    const first = await (await fetch(new URL("/api/visits", stack!.webappUrl))).json();
    const second = await (await fetch(new URL("/api/visits", stack!.webappUrl))).json();
    expect(second.total).toBe(first.total);
    expect(second.visits.length).toBeGreaterThan(0);
    expect(second.visits[0]).toEqual({ id: expect.any(Number), visitedAt: expect.any(String) });
  });
});
