/**
 * Webapp throughput and how it grows with data (issue item 2).
 *
 *   flock /tmp/walkthrough.lock node bench/stack/throughput.ts [--quick] [--write <file>] [--no-build]
 *
 * Brings up the stack under a unique project name, loads `GET /` with
 * autocannon at 10 and 50 connections with the visits table at 100 rows, seeds
 * it to 1,000,000 rows in one INSERT ... SELECT generate_series, and loads it
 * again. pgbench inside the db container runs the same SQL the webapp runs per
 * page, for the database's own limit. Always ends with `down -v`.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import autocannon from "autocannon";
import { execa } from "execa";
import { describeMachine } from "../lib/machine.ts";
import { log, parseFlags, runScript } from "./cli.ts";
import type { ComposeProject } from "./compose.ts";
import { composeProject, repoRoot } from "./compose.ts";
import type { Target } from "./report.ts";
import { Section } from "./report.ts";
import { ms, percent, timed } from "./timing.ts";

const flags = parseFlags({
  "no-build": { type: "boolean", default: false },
  duration: { type: "string" },
  rows: { type: "string" },
});

const DURATION_S = Number(flags.duration ?? (flags.quick ? 3 : 15));
const WARMUP_S = flags.quick ? 1 : 3;
const SMALL_ROWS = 100;
const BIG_ROWS = Number(flags.rows ?? (flags.quick ? 10_000 : 1_000_000));
const CONNECTIONS = [10, 50] as const;
/** The webapp's pool holds at most 10 connections (apps/webapp/src/db/pool.ts): pgbench gets as many. */
const PGBENCH_CLIENTS = 10;

interface Load {
  connections: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  cpu: string;
}

/** An autocannon run as table cells: the load, req/s, p50, p99, failures, CPU. */
const loadCells = (l: Load) => [
  `autocannon ${l.connections} conn`,
  l.reqPerSec.toFixed(0),
  ms(l.p50),
  ms(l.p99),
  `${l.non2xx} / ${l.errors}`,
  l.cpu || "-",
];

interface Phase {
  label: string;
  rowsAtStart: number;
  loads: Load[];
  pgbench: { tps: number; latencyMs: number; statements: string[] };
  /** pgbench on MINIMAL_SQL: the least any page must do, the issue's yardstick. */
  minimal: Phase["pgbench"];
  consistent: string;
}

/**
 * The least any page showing the 50 latest visits must do: one insert, one
 * read, no counter. Fixed here, not read from the app, because it is the
 * yardstick the page is measured against whatever the app's SQL becomes.
 */
const MINIMAL_SQL = [
  "INSERT INTO visits DEFAULT VALUES;",
  "SELECT id, visited_at FROM visits ORDER BY id DESC LIMIT 50;",
  "",
].join("\n");

/**
 * The statement a page load runs (recordVisit: the insert, the counter and
 * the latest visits in one), read from visit-store.ts and schema.ts so the
 * pgbench script cannot drift from the app.
 */
async function pageSql(): Promise<string> {
  const read = (file: string) => readFile(join(repoRoot, "apps/webapp/src/db", file), "utf8");
  const [store, schema] = await Promise.all([read("visit-store.ts"), read("schema.ts")]);
  const record = /const RECORD_VISIT = `([^`]+)`/.exec(store)?.[1];
  const limit = /export const MAX_RECENT_VISITS = (\d+)/.exec(store)?.[1];
  const slots = /export const COUNTER_SLOTS = (\d+)/.exec(schema)?.[1];
  if (!record || !limit || !slots)
    throw new Error("could not find RECORD_VISIT / MAX_RECENT_VISITS in visit-store.ts, COUNTER_SLOTS in schema.ts");
  const oneLine = record
    .replace(/\$\{MAX_RECENT_VISITS\}/g, limit)
    .replace(/\s+/g, " ")
    .trim();
  // pgbench: $1 (the counter slot) becomes a pgbench variable, sent as a parameter.
  // Each client keeps to its own slot, as the webapp's turns keep the visits in flight on different slots.
  return [`\\set slot :client_id % ${slots} + 1`, `${oneLine.replaceAll("$1", ":slot")};`, ""].join("\n");
}

/** Adds `:n` visits to the running total: to slot 1, as the total is the sum of the slots (apps/webapp/src/db/schema.ts). */
const RAISE_TOTAL = "UPDATE visit_totals SET total = total + :n WHERE id = 1";

/**
 * Tops the visits table up to `rows` in one transaction, keeping what the app
 * relies on: ids from the identity column, visited_at never older than an
 * earlier id (now() is this transaction's start, after every committed
 * visit), and visit_totals.total equal to the rows. Then VACUUM ANALYZE and a
 * CHECKPOINT, so autovacuum and the checkpointer do not run during the loads.
 */
async function seedTo(stack: ComposeProject, rows: number): Promise<number> {
  const { seconds } = await timed(() =>
    stack.psql(`
      BEGIN;
      LOCK TABLE visits IN SHARE ROW EXCLUSIVE MODE;
      SELECT greatest(0, ${rows} - count(*)) AS missing FROM visits \\gset
      INSERT INTO visits (visited_at) SELECT now() FROM generate_series(1, :missing);
      ${RAISE_TOTAL.replace(":n", ":missing")};
      COMMIT;
      VACUUM ANALYZE visits;
      CHECKPOINT;
    `),
  );
  log(`seeded visits to ${rows} rows in ${seconds.toFixed(1)} s`);
  return seconds;
}

async function counts(stack: ComposeProject): Promise<{ rows: number; total: number }> {
  const [rows, total] = (
    await stack.psql("SELECT (SELECT count(*) FROM visits), (SELECT sum(total) FROM visit_totals);")
  ).split("|");
  return { rows: Number(rows), total: Number(total) };
}

/** CPU use of the stack's containers, sampled once (docker stats takes ~2 s). */
async function cpuSample(stack: ComposeProject): Promise<string> {
  const { stdout } = await execa("docker", ["stats", "--no-stream", "--format", "{{.Name}} {{.CPUPerc}}"], {
    reject: false,
  });
  return String(stdout)
    .split("\n")
    .filter((line) => line.startsWith(stack.name))
    .map((line) => line.slice(stack.name.length + 1).replace(/-1 /, " "))
    .sort()
    .join(", ");
}

async function load(stack: ComposeProject, url: string, connections: number, duration: number): Promise<Load> {
  log(`autocannon GET ${new URL(url).pathname} ${connections} connections for ${duration} s`);
  let sampling: Promise<string> | undefined;
  const sampler = setTimeout(
    () => {
      sampling = cpuSample(stack);
    },
    (duration * 1000) / 3,
  );
  const result = await autocannon({ url, connections, duration, timeout: 10 });
  clearTimeout(sampler);
  const cpu = (await sampling) ?? "";
  return {
    connections,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpu,
  };
}

/**
 * `mode`: `prepared` for the page's statement, as the webapp names its
 * statements and so plans them once per connection; `extended` (parsed and
 * planned every time) for the minimal statements, as the issue measured them.
 */
async function pgbench(
  stack: ComposeProject,
  script: string,
  duration: number,
  mode: "extended" | "prepared" = "extended",
): Promise<Phase["pgbench"]> {
  log(`pgbench ${PGBENCH_CLIENTS} clients for ${duration} s, -M ${mode}`);
  const { stdout } = await stack.run(
    [
      "exec",
      "-T",
      "db",
      "sh",
      "-c",
      `cat > /tmp/bench-page.sql && pgbench -n -r -U stockroom -M ${mode} -c ${PGBENCH_CLIENTS} -j 2 -T ${duration} -f /tmp/bench-page.sql stockroom`,
    ],
    { input: script },
  );
  const out = String(stdout);
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
  const statements =
    out
      .split(/statement latencies in milliseconds.*\n/)[1]
      ?.split("\n")
      .map((line) => line.trim().replace(/\s+/g, " "))
      .filter((line) => /^[\d.]+ /.test(line)) ?? [];
  return { tps, latencyMs, statements };
}

/**
 * pgbench on MINIMAL_SQL, on the stack's own visits table (so at the phase's
 * size). Its inserts bump no counter, so the rows it added are then added to
 * the total, keeping total = count(*) for the phases after it.
 */
async function minimalPgbench(stack: ComposeProject, duration: number): Promise<Phase["pgbench"]> {
  const before = await counts(stack);
  const result = await pgbench(stack, MINIMAL_SQL, duration);
  const added = (await counts(stack)).rows - before.rows;
  await stack.psql(`${RAISE_TOTAL.replace(":n", String(added))};`);
  return result;
}

/**
 * From inside the webapp container, on an idle stack: the mean time of one
 * sequential `GET http://api:5001/` on a new connection (what the webapp did
 * before it kept connections: a DNS lookup and a TCP connect each time), on a
 * kept-alive connection (what it does now), and of the DNS lookup of `api` alone.
 */
async function apiCallCost(stack: ComposeProject): Promise<{ fresh: number; kept: number; lookup: number }> {
  const probe = `
    const http = process.getBuiltinModule("node:http");
    const dns = process.getBuiltinModule("node:dns/promises");
    const get = (agent) => new Promise((resolve, reject) => {
      http.get("http://api:5001/", { agent }, (res) => { res.resume(); res.on("end", resolve); }).on("error", reject);
    });
    const mean = async (work, n) => { const t = performance.now(); for (let i = 0; i < n; i++) await work(); return (performance.now() - t) / n; };
    (async () => {
      const n = 300;
      await mean(() => get(false), 30);
      const fresh = await mean(() => get(false), n);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      await mean(() => get(agent), 30);
      const kept = await mean(() => get(agent), n);
      const lookup = await mean(() => dns.lookup("api"), n);
      process.stdout.write(JSON.stringify({ fresh, kept, lookup }));
    })();`;
  const { stdout } = await stack.run(["exec", "-T", "webapp", "node", "-e", probe]);
  return JSON.parse(String(stdout)) as { fresh: number; kept: number; lookup: number };
}

/**
 * The floor the issue measured: a bare `node:http` server with a pg Pool (10 connections, as the
 * webapp's), running MINIMAL_SQL and rendering the 50 rows, with no Express, no api call and no
 * request log. It runs inside the webapp container (its node and its pg), on port FLOOR_PORT, and
 * exits by itself after `seconds`.
 */
const FLOOR_PORT = 5002;
const floorServer = (seconds: number) => `
  const http = process.getBuiltinModule("node:http");
  const fs = process.getBuiltinModule("node:fs");
  const { Pool } = require("pg");
  const file = process.env.PGPASSWORD_FILE;
  const pool = new Pool({ max: 10, password: file ? fs.readFileSync(file, "utf8").trim() : process.env.PGPASSWORD });
  http.createServer(async (req, res) => {
    try {
      await pool.query("INSERT INTO visits DEFAULT VALUES");
      const { rows } = await pool.query("SELECT id, visited_at FROM visits ORDER BY id DESC LIMIT 50");
      const items = rows.map((r) => "<li>" + r.id + " " + r.visited_at.toISOString() + "</li>").join("");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<!doctype html><title>floor</title><ul>" + items + "</ul>");
    } catch (err) {
      res.writeHead(500);
      res.end(String(err));
    }
  }).listen(${FLOOR_PORT});
  setTimeout(() => process.exit(0), ${seconds * 1000});`;

/**
 * The page and the floor server on the webapp container's own address, so without Docker's port
 * proxy between autocannon and the container (Linux only: elsewhere a container's address is not
 * reachable from the host, and this returns undefined). The rows they add go to the total, as
 * minimalPgbench's do.
 */
async function withoutPortProxy(stack: ComposeProject): Promise<{ page: Load; floor: Load } | undefined> {
  const { stdout } = await execa("docker", [
    "inspect",
    "-f",
    "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}",
    await stack.containerId("webapp"),
  ]);
  const address = String(stdout).trim().split(/\s+/)[0];
  const reachable = address
    ? await fetch(`http://${address}:5000/healthz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      )
    : false;
  if (!address || !reachable) {
    log(`the webapp container's address (${address || "none"}) is not reachable from here: no floor measured`);
    return undefined;
  }
  const before = await counts(stack);
  await stack.run(["exec", "-d", "webapp", "node", "-e", floorServer(DURATION_S * 3 + 30)]);
  const floorUrl = `http://${address}:${FLOOR_PORT}/`;
  for (let tries = 0; ; tries += 1) {
    const ok = await fetch(floorUrl).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (tries > 50) throw new Error(`the floor server at ${floorUrl} did not answer`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await autocannon({ url: floorUrl, connections: 10, duration: WARMUP_S });
  const floor = await load(stack, floorUrl, PGBENCH_CLIENTS, DURATION_S);
  const page = await load(stack, `http://${address}:5000/`, PGBENCH_CLIENTS, DURATION_S);
  // The page counted its own visits; the floor server's rows are added to the total here.
  const after = await counts(stack);
  const floorRows = after.rows - before.rows - (after.total - before.total);
  await stack.psql(`${RAISE_TOTAL.replace(":n", String(floorRows))};`);
  return { page, floor };
}

/** A pgbench run of a phase as a row of the loads' table (`which`: "" for the page's statement, ", minimal"). */
function pgbenchRow(p: Phase, { tps, latencyMs }: Phase["pgbench"], which: string): Array<string | number> {
  return [
    p.label,
    p.rowsAtStart,
    `pgbench ${PGBENCH_CLIENTS} clients${which}`,
    tps.toFixed(0),
    `${latencyMs.toFixed(2)} ms avg`,
    "-",
    "-",
    "-",
  ];
}

/**
 * The page at 10 connections (pgbench's 10 clients) against pgbench on
 * MINIMAL_SQL in the same phase: at least 20% at both sizes.
 */
function minimalTargets(...phases: Phase[]): Target[] {
  const at10 = (p: Phase) => p.loads.find((l) => l.connections === PGBENCH_CLIENTS)?.reqPerSec ?? Number.NaN;
  return phases.map((p) => ({
    name: `webapp req/s (${PGBENCH_CLIENTS} conn) / pgbench tps on the minimal statements, ${p.label}`,
    measured: at10(p) / p.minimal.tps,
    limit: 0.2,
    kind: "min",
    format: percent,
  }));
}

async function phase(stack: ComposeProject, url: string, label: string, script: string): Promise<Phase> {
  const { rows: rowsAtStart } = await counts(stack);
  log(`phase "${label}": ${rowsAtStart} rows; warm-up ${WARMUP_S} s`);
  await autocannon({ url, connections: 10, duration: WARMUP_S });
  const loads: Load[] = [];
  for (const connections of CONNECTIONS) loads.push(await load(stack, url, connections, DURATION_S));
  const bench = await pgbench(stack, script, DURATION_S, "prepared");
  const after = await counts(stack);
  const consistent =
    after.rows === after.total ? `yes (${after.rows} rows)` : `**NO**: ${after.rows} rows, total ${after.total}`;
  const minimal = await minimalPgbench(stack, DURATION_S);
  return { label, rowsAtStart, loads, pgbench: bench, minimal, consistent };
}

/**
 * The front door (issue 12): the page through nginx and 3 webapp replicas
 * (docker-compose.proxy.yml, a second project seeded to the same row count)
 * against the direct stack's one webapp, in the same run, one after the
 * other, each while the other stack idles.
 */
async function frontDoorSection(
  direct: ComposeProject,
  directUrl: string,
  machine: Awaited<ReturnType<typeof describeMachine>>,
): Promise<Section> {
  const proxied = composeProject("throughput-proxy", {
    overrides: ["docker-compose.proxy.yml"],
    // Its own edge subnet, so a lesson-15 stack (10.213.47.0/24) or the tests'
    // proxy stacks (10.213.100-249.0/24) may run beside it.
    env: { PROXY_SUBNET: `10.213.${250 + Math.floor(Math.random() * 5)}.0/24` },
    entry: { service: "proxy", port: 8080 },
  });
  log(`docker compose -p ${proxied.name} -f docker-compose.yml -f docker-compose.proxy.yml up -d --wait`);
  await proxied.run(["up", "-d", "--wait", ...(flags["no-build"] ? ["--no-build"] : ["--build"])]);
  const proxiedUrl = `${await proxied.webappUrl()}/`;
  const { rows } = await counts(direct);
  await seedTo(proxied, rows);

  const runs: Array<{ via: string; load: Load }> = [];
  for (const connections of CONNECTIONS) {
    runs.push({ via: "direct, 1 webapp", load: await load(direct, directUrl, connections, DURATION_S) });
    await autocannon({ url: proxiedUrl, connections: 10, duration: WARMUP_S });
    runs.push({ via: "proxy, 3 webapps", load: await load(proxied, proxiedUrl, connections, DURATION_S) });
  }
  await proxied.down();

  const section = new Section("Through the front door (`GET /`, nginx + 3 webapps vs 1 webapp)", machine, flags);
  section.paragraph(
    `The same page, ${DURATION_S} s per run, about ${rows.toLocaleString("en")} visits in each stack: directly on the one ` +
      "webapp's published port, and through docker-compose.proxy.yml (nginx on the host port, 3 webapp and 3 api " +
      "replicas), one after the other. Every replica shares the same cores, so the proxy's figure is what the extra hop " +
      "and replicas cost or gain on this machine, not what more machines would give.",
  );
  section.table(
    ["via", "load", "req/s", "p50", "p99", "non-2xx / errors", "CPU during load (sampled once)"],
    runs.map(({ via, load }) => [via, ...loadCells(load)]),
  );
  const ratio = (connections: number) => {
    const of = (via: string) => runs.find((r) => r.via === via && r.load.connections === connections)!.load;
    return of("proxy, 3 webapps").reqPerSec / of("direct, 1 webapp").reqPerSec;
  };
  section.paragraph(
    `req/s through the proxy / direct: ${CONNECTIONS.map((c) => `${ratio(c).toFixed(2)}x at ${c} conn`).join(", ")}.`,
  );
  return section;
}

await runScript(async () => {
  const machine = await describeMachine();
  const stack = composeProject("throughput");
  const script = await pageSql();

  log(`docker compose -p ${stack.name} up -d --wait${flags["no-build"] ? "" : " --build"}`);
  await stack.run(["up", "-d", "--wait", ...(flags["no-build"] ? ["--no-build"] : ["--build"])]);
  const url = `${await stack.webappUrl()}/`;
  const probe = await fetch(url);
  if (probe.status !== 200) throw new Error(`GET ${url} answered ${probe.status}`);

  await seedTo(stack, SMALL_ROWS);
  const small = await phase(stack, url, `${SMALL_ROWS} rows`, script);
  const seedSeconds = await seedTo(stack, BIG_ROWS);
  const big = await phase(stack, url, `${BIG_ROWS.toLocaleString("en")} rows`, script);

  // Where a page's time goes: the same load on routes that do less of its work.
  const breakdown: Array<{ route: string; does: string; load: Load }> = [];
  for (const [route, does] of [
    ["/healthz", "Express, helmet; no request log line (health paths are skipped), no database, no api"],
    ["/api/visits", "two reads (total, 50 recent), a log line; no insert, no api call"],
    ["/", "the page: one statement (insert, a counter slot, 50 recent), the api on a kept-alive connection, HTML"],
  ] as const) {
    breakdown.push({ route, does, load: await load(stack, new URL(route, url).href, 10, DURATION_S) });
  }

  const section = new Section("Webapp throughput (`GET /`)", machine, flags);
  section.paragraph(
    `autocannon (in-process, on the same host) against the published port, ${DURATION_S} s per run after a ${WARMUP_S} s warm-up; ` +
      `pgbench inside the db container with ${PGBENCH_CLIENTS} clients (the webapp pool's max), ` +
      "running the statement of one page load (read from visit-store.ts, `-M prepared` as the webapp prepares it), " +
      "and again on the minimal statements (`-M extended`, as the issue measured them) " +
      `(\`${MINIMAL_SQL.trim().replace(/\n/g, " ")}\`, the rows it adds then added to the total). ` +
      `Seeding to ${BIG_ROWS.toLocaleString("en")} rows (one INSERT ... SELECT generate_series, total kept equal) took ${seedSeconds.toFixed(1)} s. ` +
      "The loads themselves add rows: the row count shown is the one at the start of each phase.",
  );
  const rows: Array<Array<string | number>> = [];
  for (const p of [small, big]) {
    for (const l of p.loads) {
      rows.push([p.label, p.rowsAtStart, ...loadCells(l)]);
    }
    rows.push(pgbenchRow(p, p.pgbench, ""), pgbenchRow(p, p.minimal, ", minimal"));
  }
  section.table(
    [
      "data",
      "rows at start",
      "load",
      "req/s (tps)",
      "p50",
      "p99",
      "non-2xx / errors",
      "CPU during load (sampled once)",
    ],
    rows,
  );
  section.paragraph(
    `visit_totals.total equals count(*) after each phase: ${small.label}: ${small.consistent}; ${big.label}: ${big.consistent}.`,
  );
  const statementRows = [small, big].flatMap((p) =>
    p.pgbench.statements.map((s) => [p.label, s.length > 110 ? `${s.slice(0, 110)}…` : s]),
  );
  if (statementRows.length > 0)
    section.table(["data", "pgbench per-statement latency (ms, failures, statement)"], statementRows);

  section.table(
    [
      "route (10 conn, after the big phase)",
      "what it does",
      "req/s",
      "p50",
      "p99",
      "non-2xx / errors",
      "CPU during load",
    ],
    // The same cells as the other tables, the load's name aside (the header says it).
    breakdown.map(({ route, does, load }) => [route, does, ...loadCells(load).slice(1)]),
  );

  const direct = await withoutPortProxy(stack);
  if (direct !== undefined) {
    section.paragraph(
      "Without Docker's port proxy: autocannon on the webapp container's own address, 10 connections, after the breakdown. " +
        "The floor is the issue's yardstick for what this machine allows: a bare `node:http` server with a pg Pool in the " +
        "webapp container, running the minimal statements and rendering the 50 rows, with no Express, no api call, no " +
        `request log. Ratios are over pgbench on the minimal statements at ${big.label} (${big.minimal.tps.toFixed(0)} tps).`,
    );
    section.table(
      ["what", "req/s", "p50", "p99", "non-2xx / errors", "CPU during load", "over pgbench minimal"],
      [
        [
          "the page, via the published port (above)",
          ...loadCells(big.loads[0]!).slice(1),
          percent(big.loads[0]!.reqPerSec / big.minimal.tps),
        ],
        [
          "the page, via the container's address",
          ...loadCells(direct.page).slice(1),
          percent(direct.page.reqPerSec / big.minimal.tps),
        ],
        [
          "floor: bare node:http + pg, minimal statements",
          ...loadCells(direct.floor).slice(1),
          percent(direct.floor.reqPerSec / big.minimal.tps),
        ],
      ],
    );
  }

  const cost = await apiCallCost(stack);
  section.paragraph(
    "One `GET http://api:5001/` from inside the webapp container, sequential, idle stack (mean of 300): " +
      `on a new connection (DNS lookup + TCP connect each time, as the webapp did before this pass) ${cost.fresh.toFixed(2)} ms, ` +
      `on a kept-alive connection as the webapp makes it now ${cost.kept.toFixed(2)} ms; the DNS lookup of \`api\` alone ${cost.lookup.toFixed(2)} ms.`,
  );

  const targets: Target[] = [];
  for (const [i, connections] of CONNECTIONS.entries()) {
    targets.push({
      name: `p99 at ${big.label} / p99 at ${small.label}, ${connections} conn`,
      measured: big.loads[i]!.p99 / small.loads[i]!.p99,
      limit: 1.2,
      kind: "max",
      format: (v) => `${v.toFixed(2)}x`,
    });
  }
  for (const p of [small, big]) {
    const best = Math.max(...p.loads.map((l) => l.reqPerSec));
    targets.push({
      name: `webapp best req/s / pgbench tps, ${p.label}`,
      measured: best / p.pgbench.tps,
      limit: 0.5,
      kind: "min",
      format: percent,
    });
  }
  targets.push(...minimalTargets(small, big));
  section.targets(targets);
  await section.emit(flags.write);

  await (await frontDoorSection(stack, url, machine)).emit(flags.write);
});
