import { setTimeout as sleep } from "node:timers/promises";
import type { StartedPostgreSqlContainer } from "@testcontainers/postgresql";
import { PostgreSqlContainer } from "@testcontainers/postgresql";
import type { StartedNetwork, StartedTestContainer } from "testcontainers";
import { GenericContainer, Network, Wait } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuiltImage } from "../support/build-image.js";
import { buildImage } from "../support/build-image.js";
import type { LogLine } from "../support/containers.js";
import { containerLogs, inspectContainer, lineIndex, logLines } from "../support/containers.js";
import { loadPage, textOf, totalVisitsOn } from "../support/page.js";
import { eventually } from "../support/stack.js";

/**
 * Start-up order without Compose's depends_on: the webapp comes up on a
 * network where no database exists yet, and Postgres joins (as `db`) later.
 */
describe("the webapp started before its database exists", () => {
  const credentials = { PGUSER: "stockroom", PGPASSWORD: "faults-only-password", PGDATABASE: "stockroom" };
  let image: BuiltImage | undefined;
  let network: StartedNetwork | undefined;
  let webapp: StartedTestContainer | undefined;
  let db: StartedPostgreSqlContainer | undefined;
  let webappUrl: string;
  let startedAt: string;

  beforeAll(async () => {
    image = await buildImage("webapp", "apps/webapp/Dockerfile");
    network = await new Network().start();
    webapp = await new GenericContainer(image.name)
      .withNetwork(network)
      .withEnvironment({
        PGHOST: "db",
        ...credentials,
        // Nothing listens there: the page gets ECONNREFUSED at once instead of waiting for a timeout.
        API_URL: "http://127.0.0.1:9",
      })
      .withExposedPorts(5000)
      .withWaitStrategy(Wait.forHttp("/healthz", 5000).forStatusCode(200))
      .start();
    webappUrl = `http://${webapp.getHost()}:${webapp.getMappedPort(5000)}`;
    startedAt = (await inspectContainer(webapp.getId())).State.StartedAt;
  });

  afterAll(async () => {
    await webapp?.stop();
    await db?.stop();
    await network?.stop();
    await image?.remove();
  });

  const status = async (path: string) =>
    (await fetch(new URL(path, webappUrl), { signal: AbortSignal.timeout(10_000) })).status;
  const retryLines = async (): Promise<LogLine[]> =>
    logLines(await containerLogs(webapp!.getId())).filter((line) =>
      line.msg?.startsWith("database not ready (attempt "),
    );

  it("with no database for 5 s: stays live (/healthz 200), answers the page and /readyz with 503", async () => {
    const until = Date.now() + 5_000;
    let rounds = 0;
    while (Date.now() < until) {
      expect(await status("/healthz")).toBe(200);
      expect(await status("/readyz")).toBe(503);
      const page = await loadPage(webappUrl);
      expect(page.status).toBe(503);
      expect(page.html).toContain("The database is not reachable right now");
      rounds++;
      await sleep(500);
    }
    expect(rounds).toBeGreaterThan(3);
  });

  it("meanwhile logs each failed attempt, numbered, with growing delays between them", async () => {
    const retries = await retryLines();
    // 250, 500, 1000, 2000 ms: at least four attempts fit in the first five seconds.
    expect(retries.length).toBeGreaterThanOrEqual(4);
    expect(retries.map((line) => line.attempt)).toEqual(retries.map((_, i) => i + 1));

    // Each wait at least as long as the one before (it stops growing only at its cap), and the
    // first four strictly longer each time.
    const delays = retries.map((line) => Number(line.retryInMs));
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
    for (let i = 1; i < 4; i++) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!);
    // And it really waits that long before the next attempt (pino's `time` is in ms).
    for (let i = 1; i < retries.length; i++) {
      expect(retries[i]!.time! - retries[i - 1]!.time!).toBeGreaterThanOrEqual(delays[i - 1]! - 50);
    }
  });

  it("once Postgres appears as `db`, becomes ready and serves the page by itself, in the same process", async () => {
    db = await new PostgreSqlContainer("postgres:17-trixie")
      .withNetwork(network!)
      .withNetworkAliases("db")
      .withDatabase(credentials.PGDATABASE)
      .withUsername(credentials.PGUSER)
      .withPassword(credentials.PGPASSWORD)
      .start();
    const dbUpAt = Date.now();

    // The backoff is capped at 5 s, so the next attempt comes within that.
    await eventually(async () => expect(await status("/readyz")).toBe(200), 20_000);
    const readyAfterMs = Date.now() - dbUpAt;
    expect(readyAfterMs).toBeLessThan(12_000);

    const page = await loadPage(webappUrl);
    expect(page.status).toBe(200);
    expect(totalVisitsOn(page.html)).toBeGreaterThanOrEqual(1);
    expect(textOf(page.html)).toContain("Could not reach the API at http://127.0.0.1:9: ECONNREFUSED");

    // Not restarted: the same container, started once, still running, one process that listened once.
    const after = await inspectContainer(webapp!.getId());
    expect(after.State.Running).toBe(true);
    expect(after.RestartCount).toBe(0);
    expect(after.State.StartedAt).toBe(startedAt);
    const lines = logLines(await containerLogs(webapp!.getId()));
    expect(lines.filter((line) => line.msg?.startsWith("webapp listening on"))).toHaveLength(1);
    const ready = lines.find((line) => line.msg === "database schema is ready");
    // The attempt that worked is the one after the last failed one.
    expect(ready?.attempt).toBe((await retryLines()).length + 1);
    expect(lineIndex(lines, "database schema is ready")).toBeGreaterThan(
      lineIndex(lines, "database not ready (attempt 4)"),
    );
  });
});
