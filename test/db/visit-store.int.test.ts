import type { VisitStore } from "@stockroom/webapp/db";
import { createPool, createVisitStore, DatabaseUnavailableError, ensureSchema } from "@stockroom/webapp/db";
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

  beforeAll(async () => {
    // A fixed host port, so the pool's address still holds after the container is stopped and started.
    const hostPort = await freePort();
    container = await new PostgreSqlContainer("postgres:17-trixie")
      .withExposedPorts({ container: 5432, host: hostPort })
      .withDatabase("stockroom")
      .withUsername("stockroom")
      .withPassword("test-only-password")
      .start();
    pool = createPool(
      {
        host: container.getHost(),
        port: container.getPort(),
        user: container.getUsername(),
        password: container.getPassword(),
        database: container.getDatabase(),
      },
      logger,
    );
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

  it("lands all of 500 concurrent visits, each with its own running total", async () => {
    const before = await rowCount();
    const results = await Promise.all(Array.from({ length: 500 }, () => visits.recordVisit()));
    expect(await rowCount()).toBe(before + 500);
    expect(await visits.countVisits()).toBe(before + 500);
    const totals = results.map((r) => r.total).sort((a, b) => a - b);
    expect(new Set(totals).size).toBe(500);
    expect(totals[0]).toBe(before + 1);
    expect(totals.at(-1)).toBe(before + 500);
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
