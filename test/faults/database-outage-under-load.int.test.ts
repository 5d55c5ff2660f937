import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sample } from "../support/load.js";
import { describeSample, loadPages, lostVisits, sql } from "../support/load.js";
import { loadPage } from "../support/page.js";
import type { Stack } from "../support/stack.js";
import { compose, eventually, inspectService, removeStack, startStack } from "../support/stack.js";

const CLIENTS = 20;
const LOAD_MS = 15_000;
const RESTART_AFTER_MS = 3_000;
/** No page load may take longer than this, outage or not (the pool's connect timeout is 2 s). */
const REQUEST_DEADLINE_MS = 5_000;

describe("a database restart under load", () => {
  let stack: Stack | undefined;
  let samples: Sample[] = [];
  let restart: { start: number; end: number } | undefined;

  beforeAll(async () => {
    stack = await startStack({ label: "db-outage" });
    expect((await loadPage(stack.webappUrl)).status).toBe(200);

    const loadStart = Date.now();
    const until = loadStart + LOAD_MS;
    const url = new URL("/", stack.webappUrl).toString();
    const load = loadPages(url, {
      clients: CLIENTS,
      until,
      // For a 503: whether it was the page that says the database is not reachable.
      notice: (status, body) =>
        status === 503 && body.includes("The database is not reachable right now") ? "says the database" : undefined,
    });
    const restarted = (async () => {
      await sleep(RESTART_AFTER_MS);
      const start = Date.now();
      await compose(stack!, ["restart", "db"]);
      restart = { start, end: Date.now() };
    })();
    [samples] = await Promise.all([load, restarted]);

    const unavailable = samples.filter((s) => s.status === 503);
    console.info(
      `${samples.length} page loads by ${CLIENTS} clients in ${LOAD_MS / 1000} s: ` +
        `${samples.filter((s) => s.status === 200).length} x 200, ${unavailable.length} x 503, ` +
        `${samples.filter((s) => s.status !== 200 && s.status !== 503).length} other; ` +
        `slowest ${Math.max(...samples.map((s) => s.end - s.start))} ms; ` +
        `restart db took ${restart ? restart.end - restart.start : "?"} ms; ` +
        `503s from +${unavailable.length ? Math.min(...unavailable.map((s) => s.start)) - loadStart : "-"} ms to +${unavailable.length ? Math.max(...unavailable.map((s) => s.end)) - loadStart : "-"} ms`,
    );
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it("answered every request, quickly, with 200 or 503 and nothing else", () => {
    expect(samples.length).toBeGreaterThan(CLIENTS * 10);
    const failed = samples.filter((s) => s.status !== 200 && s.status !== 503);
    expect(failed.map(describeSample)).toEqual([]);
    const slow = samples.filter((s) => s.end - s.start > REQUEST_DEADLINE_MS);
    expect(slow.map(describeSample)).toEqual([]);
  });

  it("really lost the database for a while: some 503s, all of them around the restart", () => {
    const unavailable = samples.filter((s) => s.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((s) => s.notice === "says the database")).toBe(true);
    // The stack answered 200s before the outage and again after it.
    expect(samples.some((s) => s.status === 200 && s.end < restart!.start)).toBe(true);
    expect(samples.some((s) => s.status === 200 && s.start > restart!.end)).toBe(true);
    for (const s of unavailable) {
      expect(s.end).toBeGreaterThanOrEqual(restart!.start);
    }
  });

  it("kept every visit it answered 200 for: each X-Visit-Id is a row in visits, no id twice", async () => {
    // lostVisits throws when a 200 carries no X-Visit-Id, or two claim one row.
    const { rows, lost } = await lostVisits(stack!, samples);
    expect(lost).toEqual([]);
    // And the running total (the sum of the counter's slots) still matches the
    // rows: the insert and its slot's bump move together.
    const [total] = await sql(stack!, "select sum(total) from visit_totals");
    expect(Number(total)).toBe(rows);
  });

  it("once db is healthy again, the webapp answers 200 within 5 s, without having been restarted", async () => {
    await eventually(
      async () => expect((await inspectService(stack!, "db")).State.Health?.Status).toBe("healthy"),
      60_000,
    );
    const healthyAt = Date.now();
    await eventually(async () => expect((await loadPage(stack!.webappUrl)).status).toBe(200), 5_000, 100);
    expect(Date.now() - healthyAt).toBeLessThan(5_000);

    const webapp = await inspectService(stack!, "webapp");
    expect(webapp.State.Running).toBe(true);
    expect(webapp.RestartCount).toBe(0);
  });
});
