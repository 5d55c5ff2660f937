// Webapp throughput and how it grows with data (issue item 2); README.md says what it measures.
//   node bench/stack/throughput.ts [--quick] [--write <file>] [--no-build] [--duration <s>] [--rows <n>]
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { execa } from "execa";
import { buildWorkspace, log, parseFlags, runScript, timed } from "../lib/script.ts";
import { clip, describeMachine, ms, percent, Section, target } from "../lib/section.ts";
import type { ComposeProject } from "./compose.ts";
import { composeProject } from "./compose.ts";

const flags = parseFlags({ "no-build": { type: "boolean" }, duration: { type: "string" }, rows: { type: "string" } });
const DURATION_S = Number(flags.duration ?? (flags.quick ? 3 : 15));
const WARMUP_S = flags.quick ? 1 : 3;
const BIG_ROWS = Number(flags.rows ?? (flags.quick ? 10_000 : 1_000_000));
/** Connections per load; the first is also pgbench's clients, as many as the webapp's pool holds (db/pool.ts). */
const CONNECTIONS = [10, 50];
const UP = ["up", "-d", "--wait", flags["no-build"] ? "--no-build" : "--build"];
/** The least a page showing the 50 latest visits must do: the yardstick, whatever the app's SQL becomes. */
const MINIMAL = "INSERT INTO visits DEFAULT VALUES;\nSELECT id, visited_at FROM visits ORDER BY id DESC LIMIT 50;\n";
/** Adds `n` visits to the running total, on slot 1 (the total is the sum of the slots). */
const raiseTotal = (n: number | string) => `UPDATE visit_totals SET total = total + ${n} WHERE id = 1;`;
const LOAD = "req/s | p50 | p99 | non-2xx / errors";
const NONE = ["-", "-", "-"];

type Load = Awaited<ReturnType<typeof load>>;
const rate = (l: Load) => l.requests.average;
const cells = (l: Load, named = false) => [
  ...(named ? [`autocannon ${l.connections} conn`] : []),
  ...[rate(l).toFixed(0), ms(l.latency.p50), ms(l.latency.p99), `${l.non2xx} / ${l.errors}`, l.cpu || "-"],
];

/** The page's statement, imported from the webapp (built first); each pgbench client bumps its own counter slot. */
async function pageSql(): Promise<string> {
  await buildWorkspace("@stockroom/webapp");
  const { COUNTER_SLOTS, RECORD_VISIT } = await import("@stockroom/webapp/db");
  const statement = RECORD_VISIT.replace(/\s+/g, " ").trim().replaceAll("$1", ":slot");
  return `\\set slot :client_id % ${COUNTER_SLOTS} + 1\n${statement};\n`;
}

// Tops visits up to `rows` in one transaction: ids in order, visited_at never older than an earlier id, the
// total equal to the rows; then VACUUM ANALYZE and a CHECKPOINT, so neither runs during a load.
async function seedTo(stack: ComposeProject, rows: number): Promise<number> {
  const { seconds } = await timed(() =>
    stack.psql(`BEGIN; LOCK TABLE visits IN SHARE ROW EXCLUSIVE MODE;
      SELECT greatest(0, ${rows} - count(*)) AS missing FROM visits \\gset
      INSERT INTO visits (visited_at) SELECT now() FROM generate_series(1, :missing);
      ${raiseTotal(":missing")} COMMIT; VACUUM ANALYZE visits; CHECKPOINT;`),
  );
  log(`seeded visits to ${rows} rows in ${seconds.toFixed(1)} s`);
  return seconds;
}

async function counts(stack: ComposeProject): Promise<{ rows: number; total: number }> {
  const out = await stack.psql("SELECT (SELECT count(*) FROM visits), (SELECT sum(total) FROM visit_totals);");
  const [rows = Number.NaN, total = Number.NaN] = out.split("|").map(Number);
  return { rows, total };
}

/** Runs `work`, then adds to the total the rows it inserted without counting them (pgbench, the floor server). */
async function addingUncounted<T>(stack: ComposeProject, work: () => Promise<T>): Promise<T> {
  const before = await counts(stack);
  const result = await work();
  const after = await counts(stack);
  await stack.psql(raiseTotal(after.rows - before.rows - (after.total - before.total)));
  return result;
}

/** CPU use of the stack's containers, sampled once (docker stats takes ~2 s). */
async function cpuSample(stack: ComposeProject): Promise<string> {
  const stats = ["stats", "--no-stream", "--format", "{{.Name}} {{.CPUPerc}}"];
  const lines = String((await execa("docker", stats, { reject: false })).stdout).split("\n");
  const ours = lines.filter((line) => line.startsWith(stack.name));
  const services = ours.map((line) => line.slice(stack.name.length + 1).replace(/-1 /, " "));
  return services.sort().join(", ");
}

/** autocannon, in this process on the same cores as the stack, with the stack's CPU sampled a third of the way in. */
async function load(stack: ComposeProject, url: string, connections: number) {
  log(`autocannon GET ${new URL(url).pathname} ${connections} connections for ${DURATION_S} s`);
  const cpu = sleep((DURATION_S * 1000) / 3).then(() => cpuSample(stack));
  const result = await autocannon({ url, connections, duration: DURATION_S, timeout: 10 });
  return { ...result, cpu: await cpu };
}

const warmUp = (url: string) => autocannon({ url, connections: 10, duration: WARMUP_S });

/** pgbench in the db container, `-M prepared` for the page's statement, as the webapp names its statements. */
async function pgbench(stack: ComposeProject, script: string, mode: "extended" | "prepared") {
  log(`pgbench ${CONNECTIONS[0]} clients for ${DURATION_S} s, -M ${mode}`);
  const run = `pgbench -n -r -U stockroom -M ${mode} -c ${CONNECTIONS[0]} -j 2 -T ${DURATION_S} -f /tmp/bench.sql stockroom`;
  const sh = ["sh", "-c", `cat > /tmp/bench.sql && ${run}`];
  const out = String((await stack.run(["exec", "-T", "db", ...sh], { input: script })).stdout);
  const statements = (out.split(/statement latencies in milliseconds.*\n/)[1] ?? "").split("\n");
  return {
    tps: Number(/tps = ([\d.]+)/.exec(out)?.[1]),
    latencyMs: Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]),
    statements: statements.map((line) => line.trim().replace(/\s+/g, " ")).filter((line) => /^[\d.]+ /.test(line)),
  };
}

/** Runs a TypeScript file of this folder in the webapp container (its node, its pg); returns its stdout. */
async function inWebapp(stack: ComposeProject, file: string, options: string[], args: string[] = []) {
  const code = await readFile(new URL(file, import.meta.url), "utf8");
  const node = ["node", "--input-type=module-typescript", "-e", code, ...args];
  return String((await stack.run(["exec", ...options, "webapp", ...node])).stdout);
}

// The page and floor-server.ts on the webapp container's own address, without Docker's port proxy (Linux
// only: elsewhere a container's address is not reachable from the host, and this returns undefined).
async function withoutPortProxy(stack: ComposeProject): Promise<{ page: Load; floor: Load } | undefined> {
  const format = "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}";
  const { stdout } = await execa("docker", ["inspect", "-f", format, await stack.containerId("webapp")]);
  const address = stdout.trim().split(/\s+/)[0];
  const answers = async (url: string) =>
    (await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => null))?.ok;
  if (!address || !(await answers(`http://${address}:5000/healthz`))) {
    log(`the webapp container's address (${address || "none"}) is not reachable from here: no floor measured`);
    return undefined;
  }
  return addingUncounted(stack, async () => {
    await inWebapp(stack, "floor-server.ts", ["-d"], ["5002", String(DURATION_S * 3 + 30)]);
    const floorUrl = `http://${address}:5002/`;
    for (let tries = 0; !(await answers(floorUrl)); tries += 1) {
      if (tries > 50) throw new Error(`the floor server at ${floorUrl} did not answer`);
      await sleep(100);
    }
    await warmUp(floorUrl);
    const floor = await load(stack, floorUrl, 10);
    return { floor, page: await load(stack, `http://${address}:5000/`, 10) };
  });
}

async function phase(stack: ComposeProject, url: string, label: string, script: string) {
  const { rows: rowsAtStart } = await counts(stack);
  log(`phase "${label}": ${rowsAtStart} rows; warm-up ${WARMUP_S} s`);
  await warmUp(url);
  const loads: Load[] = [];
  for (const connections of CONNECTIONS) loads.push(await load(stack, url, connections));
  const page = await pgbench(stack, script, "prepared");
  const { rows, total } = await counts(stack);
  const consistent = rows === total ? `yes (${rows} rows)` : `**NO**: ${rows} rows, total ${total}`;
  // `-M extended` (planned every time) on the minimal statements, as the issue measured them.
  const minimal = await addingUncounted(stack, () => pgbench(stack, MINIMAL, "extended"));
  const clients = `pgbench ${CONNECTIONS[0]} clients`;
  const row = (p: typeof page, w = "") => [clients + w, p.tps.toFixed(0), `${p.latencyMs.toFixed(2)} ms avg`, ...NONE];
  const table = [...loads.map((l) => cells(l, true)), row(page), row(minimal, ", minimal")];
  return { label, loads, page, minimal, consistent, rows: table.map((cells) => [label, rowsAtStart, ...cells]) };
}

await runScript(async () => {
  const machine = await describeMachine();
  const stack = composeProject("throughput");
  const script = await pageSql();
  log(`docker compose -p ${stack.name} ${UP.join(" ")}`);
  await stack.run(UP);
  const url = `${await stack.webappUrl()}/`;
  const probe = await fetch(url);
  if (probe.status !== 200) throw new Error(`GET ${url} answered ${probe.status}`);
  await seedTo(stack, 100);
  const small = await phase(stack, url, "100 rows", script);
  const seedSeconds = await seedTo(stack, BIG_ROWS);
  const big = await phase(stack, url, `${BIG_ROWS.toLocaleString("en")} rows`, script);
  // Where a page's time goes: the same load on routes that do less of its work.
  const routes: string[][] = [];
  for (const [route, does] of [
    ["/healthz", "Express, helmet; no request log line (health paths are skipped), no database, no api"],
    ["/api/visits", "two reads (total, 50 recent), a log line; no insert, no api call"],
    ["/", "the page: one statement (insert, a counter slot, 50 recent), the api on a kept-alive connection, HTML"],
  ] as const) {
    routes.push([route, does, ...cells(await load(stack, new URL(route, url).href, 10))]);
  }

  const section = Section.onStack("Webapp throughput (`GET /`)", machine, flags.quick);
  section.paragraph(
    `autocannon (in-process, on the same host) against the published port, ${DURATION_S} s per run after a ${WARMUP_S} s warm-up; pgbench inside the db container with ${CONNECTIONS[0]} clients (the webapp pool's max), running the statement of one page load (read from visit-store.ts, \`-M prepared\` as the webapp prepares it), and again on the minimal statements (\`-M extended\`, as the issue measured them) (\`${MINIMAL.trim().replace(/\n/g, " ")}\`, the rows it adds then added to the total). Seeding to ${BIG_ROWS.toLocaleString("en")} rows (one INSERT ... SELECT generate_series, total kept equal) took ${seedSeconds.toFixed(1)} s. The loads themselves add rows: the row count shown is the one at the start of each phase.`,
  );
  const header = `data | rows at start | load | req/s (tps) | p50 | p99 | non-2xx / errors | CPU during load (sampled once)`;
  section.table(header, [...small.rows, ...big.rows]);
  const consistent = [small, big].map((p) => `${p.label}: ${p.consistent}`).join("; ");
  section.paragraph(`visit_totals.total equals count(*) after each phase: ${consistent}.`);
  const statements = [small, big].flatMap((p) => p.page.statements.map((s) => [p.label, clip(s, 110)]));
  const perStatement = "data | pgbench per-statement latency (ms, failures, statement)";
  if (statements.length > 0) section.table(perStatement, statements);
  section.table(`route (10 conn, after the big phase) | what it does | ${LOAD} | CPU during load`, routes);

  const direct = await withoutPortProxy(stack);
  if (direct !== undefined) {
    const overMinimal = (what: string, l: Load) => [what, ...cells(l), percent(rate(l) / big.minimal.tps)];
    section.paragraph(
      `Without Docker's port proxy: autocannon on the webapp container's own address, 10 connections, after the breakdown. The floor is the issue's yardstick for what this machine allows: a bare \`node:http\` server with a pg Pool in the webapp container, running the minimal statements and rendering the 50 rows, with no Express, no api call, no request log. Ratios are over pgbench on the minimal statements at ${big.label} (${big.minimal.tps.toFixed(0)} tps).`,
    );
    section.table(`what | ${LOAD} | CPU during load | over pgbench minimal`, [
      overMinimal("the page, via the published port (above)", big.loads[0]!),
      overMinimal("the page, via the container's address", direct.page),
      overMinimal("floor: bare node:http + pg, minimal statements", direct.floor),
    ]);
  }

  const cost = JSON.parse(await inWebapp(stack, "api-call-cost.ts", ["-T"])) as Record<string, number>;
  const mean = (key: string) => `${cost[key]?.toFixed(2)} ms`;
  section.paragraph(
    `One \`GET http://api:5001/\` from inside the webapp container, sequential, idle stack (mean of 300): on a new connection (DNS lookup + TCP connect each time, as the webapp did before this pass) ${mean("fresh")}, on a kept-alive connection as the webapp makes it now ${mean("kept")}; the DNS lookup of \`api\` alone ${mean("lookup")}.`,
  );
  const x = (v: number) => `${v.toFixed(2)}x`;
  const best = (p: typeof big) => Math.max(...p.loads.map(rate));
  const bestOver = "webapp best req/s / pgbench tps";
  const p99 = (i: number) => big.loads[i]!.latency.p99 / small.loads[i]!.latency.p99;
  const minimal = `webapp req/s (${CONNECTIONS[0]} conn) / pgbench tps on the minimal statements`;
  section.targets([
    ...CONNECTIONS.map((c, i) => target(`p99 at ${big.label} / p99 at ${small.label}, ${c} conn`, p99(i), "≤", 1.2, x)),
    ...[small, big].map((p) => target(`${bestOver}, ${p.label}`, best(p) / p.page.tps, "≥", 0.5, percent)),
    ...[small, big].map((p) => target(`${minimal}, ${p.label}`, rate(p.loads[0]!) / p.minimal.tps, "≥", 0.2, percent)),
  ]);
  await section.emit(flags.write);

  // The front door (issue 12): the page through nginx and 3 webapp replicas, seeded alike, against the one webapp.
  const proxied = composeProject("throughput-proxy", {
    overrides: ["docker-compose.proxy.yml"],
    // Its own edge subnet, so a lesson-15 stack (10.213.47.0/24) or the tests' (10.213.100-249.0/24) may run beside it.
    env: { PROXY_SUBNET: `10.213.${250 + Math.floor(Math.random() * 5)}.0/24` },
    entry: ["proxy", "8080"],
  });
  log(`docker compose -p ${proxied.name} -f docker-compose.yml -f docker-compose.proxy.yml ${UP.join(" ")}`);
  await proxied.run(UP);
  const proxiedUrl = `${await proxied.webappUrl()}/`;
  const { rows } = await counts(stack);
  await seedTo(proxied, rows);
  const runs: Array<[string, Load]> = [];
  for (const connections of CONNECTIONS) {
    runs.push(["direct, 1 webapp", await load(stack, url, connections)]);
    await warmUp(proxiedUrl);
    runs.push(["proxy, 3 webapps", await load(proxied, proxiedUrl, connections)]);
  }
  await proxied.down();
  const viaRows = runs.map(([via, l]) => [via, ...cells(l, true)]);
  const ratio = (c: number) => {
    const [direct = 0, proxy = 0] = runs.filter(([, l]) => l.connections === c).map(([, l]) => rate(l));
    return `${(proxy / direct).toFixed(2)}x at ${c} conn`;
  };
  await Section.onStack("Through the front door (`GET /`, nginx + 3 webapps vs 1 webapp)", machine, flags.quick)
    .paragraph(
      `The same page, ${DURATION_S} s per run, about ${rows.toLocaleString("en")} visits in each stack: directly on the one webapp's published port, and through docker-compose.proxy.yml (nginx on the host port, 3 webapp and 3 api replicas), one after the other. Every replica shares the same cores, so the proxy's figure is what the extra hop and replicas cost or gain on this machine, not what more machines would give.`,
    )
    .table(`via | load | ${LOAD} | CPU during load (sampled once)`, viaRows)
    .paragraph(`req/s through the proxy / direct: ${CONNECTIONS.map(ratio).join(", ")}.`)
    .emit(flags.write);
});
