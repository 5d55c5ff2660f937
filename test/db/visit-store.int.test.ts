import type { VisitStore } from "@stockroom/webapp/db";
import {
  COUNTER_SLOTS,
  createPool,
  createVisitStore,
  DatabaseUnavailableError,
  ensureSchema,
} from "@stockroom/webapp/db";
import type { StartedPostgreSqlContainer } from "@testcontainers/postgresql";
import { PostgreSqlContainer } from "@testcontainers/postgresql";
import { execa } from "execa";
import type { Pool } from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { eventually } from "../support/stack.js";

const logger = pino({ level: "silent" });

describe("the webapp's visit store against a real Postgres 17", () => {
  let container: StartedPostgreSqlContainer;
  let pool: Pool;
  let visits: VisitStore;

  const connection = () => ({
    host: container.getHost(),
    port: container.getPort(),
    user: container.getUsername(),
    password: container.getPassword(),
    database: container.getDatabase(),
  });

  beforeAll(async () => {
    // A fixed host port, so the pool's address still holds after the container is stopped and started.
    const hostPort = await freePort();
    container = await new PostgreSqlContainer("postgres:17-trixie")
      .withExposedPorts({ container: 5432, host: hostPort })
      .withDatabase("stockroom")
      .withUsername("stockroom")
      .withPassword("test-only-password")
      .start();
    pool = createPool(connection(), logger);
    await ensureSchema(pool);
    visits = createVisitStore(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await container?.stop();
  });

  const rowCount = async () => Number((await pool.query("SELECT count(*) AS n FROM visits")).rows[0].n);

  it("creates its schema idempotently: a second run changes nothing and keeps the data", async () => {
    await visits.recordVisit();
    const rowsBefore = await rowCount();
    await ensureSchema(pool);
    await ensureSchema(pool);
    expect(await rowCount()).toBe(rowsBefore);
    expect(await visits.countVisits()).toBe(rowsBefore);
  });

  it("lists visits newest first, at most 50, however many there are", async () => {
    for (let i = 0; i < 60; i++) await visits.recordVisit();
    const { visit: newest } = await visits.recordVisit();
    const recent = await visits.listRecentVisits();
    expect(recent).toHaveLength(50);
    expect(recent[0]?.id).toBe(newest.id);
    const ids = recent.map((v) => v.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(recent[0]?.visitedAt).toBeInstanceOf(Date);
  });

  it("keeps the total equal to the number of rows", async () => {
    await visits.recordVisit();
    expect(await visits.countVisits()).toBe(await rowCount());
  });

  it("returns with each visit the page's latest 50, itself first, from the same statement", async () => {
    for (let i = 0; i < 60; i++) await visits.recordVisit();
    const { visit, total, recentVisits } = await visits.recordVisit();
    expect(recentVisits).toHaveLength(50);
    expect(recentVisits[0]).toEqual(visit);
    expect(recentVisits).toEqual(await visits.listRecentVisits());
    expect(total).toBe(await rowCount());
  });

  it("lands all of 500 concurrent visits, and the total counts every one of them exactly", async () => {
    const before = await rowCount();
    const results = await Promise.all(Array.from({ length: 500 }, () => visits.recordVisit()));
    expect(await rowCount()).toBe(before + 500);
    expect(await visits.countVisits()).toBe(before + 500);
    expect(new Set(results.map((r) => r.visit.id)).size).toBe(500);
    // The counter is spread over slots (no single hot row), so two visits at
    // the same moment may show the same total; each shows at least itself on
    // top of what was there, and none more than there is.
    for (const { total } of results) {
      expect(total).toBeGreaterThanOrEqual(before + 1);
      expect(total).toBeLessThanOrEqual(before + 500);
    }
    // The bumps went to every slot, not to one row.
    const slots = await pool.query("SELECT count(*) AS n FROM visit_totals WHERE total > 0");
    expect(Number(slots.rows[0].n)).toBe(COUNTER_SLOTS);
  });

  it("migrates a database from before the slots: the one-row total is kept exactly, however often it runs", async () => {
    await pool.query("CREATE DATABASE before_slots");
    const old = createPool({ ...connection(), database: "before_slots" }, logger);
    try {
      // The schema as it was: one counter row, CHECK (id = 1), with 7 visits counted.
      await old.query(`CREATE TABLE visits (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, visited_at timestamptz NOT NULL DEFAULT now())`);
      await old.query("CREATE TABLE visit_totals (id smallint PRIMARY KEY CHECK (id = 1), total bigint NOT NULL)");
      await old.query("INSERT INTO visits (visited_at) SELECT now() FROM generate_series(1, 7)");
      await old.query("INSERT INTO visit_totals VALUES (1, 7)");

      await Promise.all([ensureSchema(old), ensureSchema(old)]);
      await ensureSchema(old);

      const store = createVisitStore(old);
      expect(await store.countVisits()).toBe(7);
      const slots = await old.query("SELECT id, total FROM visit_totals ORDER BY id");
      expect(slots.rows).toHaveLength(COUNTER_SLOTS);
      expect(slots.rows[0]).toEqual({ id: 1, total: "7" });
      const results = await Promise.all(Array.from({ length: 40 }, () => store.recordVisit()));
      expect(results.every((r) => r.total >= 8 && r.total <= 47)).toBe(true);
      expect(await store.countVisits()).toBe(47);
    } finally {
      await old.end();
      await pool.query("DROP DATABASE before_slots");
    }
  });

  it("reports a clear error while the database is gone, and works again once it is back", async () => {
    await execa("docker", ["stop", container.getId()]);
    const failure = await visits.recordVisit().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(DatabaseUnavailableError);
    expect((failure as Error).message).toMatch(/database/i);

    await execa("docker", ["start", container.getId()]);
    await eventually(() => visits.ping());
    const before = await visits.countVisits();
    const { total } = await visits.recordVisit();
    expect(total).toBe(before + 1);
  });
});
