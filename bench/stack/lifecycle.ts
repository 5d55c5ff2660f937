/**
 * Compose lifecycle (issue item 3).
 *
 *   flock /tmp/walkthrough.lock node bench/stack/lifecycle.ts [--quick] [--write <file>] [--no-build] [--repeat N]
 *
 * From built images: `up -d --wait` until every service is healthy on a cold
 * volume, then warm (stopped containers started again, and containers
 * recreated after `down` on the kept volume), and `docker compose stop <svc>`
 * per service after each. Always ends with `down -v`.
 */

import { describeMachine } from "../lib/machine.ts";
import { log, parseFlags, runScript } from "./cli.ts";
import type { ComposeProject } from "./compose.ts";
import { composeProject, inspectContainer } from "./compose.ts";
import type { Target } from "./report.ts";
import { Section } from "./report.ts";
import { median, seconds, timed } from "./timing.ts";

const flags = parseFlags({
  "no-build": { type: "boolean", default: false },
  repeat: { type: "string" },
});
const REPEAT = Number(flags.repeat ?? (flags.quick ? 1 : 3));
/** Dependents first, as `docker compose stop` of the whole stack does. */
const STOP_ORDER = ["webapp", "api", "db"] as const;
const NODE_SERVICES = ["webapp", "api"];

/** Docker's timestamps have nanoseconds; Date.parse wants at most milliseconds. */
const parseDockerTime = (value: string) => Date.parse(value.replace(/(\.\d{3})\d*/, "$1"));

interface UpRun {
  scenario: string;
  seconds: number;
  /** Per service: seconds from the `up` command to its first passing healthcheck. */
  healthyAfter: Record<string, number>;
  /** Per service: seconds from the `up` command to its container starting (and migrate's exit). */
  startedAfter: Record<string, number>;
  migrateExitedAfter?: number;
}

interface StopRun {
  scenario: string;
  service: string;
  seconds: number;
  exitCode: number;
}

async function up(stack: ComposeProject, scenario: string): Promise<UpRun> {
  log(`${scenario}: up -d --wait`);
  const startedAt = Date.now();
  const { seconds: took } = await timed(() => stack.run(["up", "-d", "--wait", "--no-build"]));
  const healthyAfter: Record<string, number> = {};
  const startedAfter: Record<string, number> = {};
  const migrate = await inspectContainer(await stack.containerId("migrate"));
  const since = (time: string) => (parseDockerTime(time) - startedAt) / 1000;
  startedAfter.migrate = since(migrate.State.StartedAt);
  const migrateExitedAfter = since(migrate.State.FinishedAt);
  for (const service of STOP_ORDER) {
    const state = await inspectContainer(await stack.containerId(service));
    startedAfter[service] = since(state.State.StartedAt);
    const firstPass = state.State.Health?.Log?.find(
      (entry) => entry.ExitCode === 0 && parseDockerTime(entry.End) >= startedAt,
    );
    if (firstPass) healthyAfter[service] = (parseDockerTime(firstPass.End) - startedAt) / 1000;
  }
  log(`${scenario}: healthy in ${took.toFixed(2)} s`);
  return { scenario, seconds: took, healthyAfter, startedAfter, migrateExitedAfter };
}

async function stopEach(stack: ComposeProject, scenario: string): Promise<StopRun[]> {
  const runs: StopRun[] = [];
  for (const service of STOP_ORDER) {
    const id = await stack.containerId(service);
    const { seconds: took } = await timed(() => stack.run(["stop", service]));
    const { State } = await inspectContainer(id);
    runs.push({ scenario, service, seconds: took, exitCode: State.ExitCode });
  }
  log(
    `${scenario}: stopped ${runs.map((r) => `${r.service} ${r.seconds.toFixed(2)} s (exit ${r.exitCode})`).join(", ")}`,
  );
  return runs;
}

await runScript(async () => {
  const machine = await describeMachine();
  const stack = composeProject("lifecycle");
  let buildSeconds: number | undefined;
  if (!flags["no-build"]) {
    log("building the images first (not part of the lifecycle numbers)");
    buildSeconds = (await timed(() => stack.run(["build"]))).seconds;
  }

  const ups: UpRun[] = [];
  const stops: StopRun[] = [];
  ups.push(await up(stack, "cold (new volume, initdb)"));
  stops.push(...(await stopEach(stack, "after cold up")));
  for (let i = 1; i <= REPEAT; i++) {
    ups.push(await up(stack, `warm: stopped containers started (${i})`));
    stops.push(...(await stopEach(stack, `warm restart (${i})`)));
  }
  for (let i = 1; i <= REPEAT; i++) {
    log("down (volume kept)");
    await stack.run(["down", "--timeout", "10"]);
    ups.push(await up(stack, `warm: containers recreated, volume kept (${i})`));
    stops.push(...(await stopEach(stack, `warm recreate (${i})`)));
  }

  const section = new Section("Compose lifecycle", machine, flags);
  section.paragraph(
    "`docker compose up -d --wait --no-build` from built images, timed until Compose reports every service healthy " +
      "(migrate exited 0). The per-service columns are seconds from the `up` command's start to the container starting and to its first passing healthcheck (migrate: to its exit). " +
      `Stops are \`docker compose stop <service>\` one at a time (webapp, api, db), timed as the command's wall time.` +
      (buildSeconds === undefined ? "" : ` The images were built first (${seconds(buildSeconds)}, not counted).`),
  );
  const at = (value: number | undefined) => (value === undefined || value < 0 ? "-" : value.toFixed(1));
  section.table(
    [
      "scenario",
      "up -d --wait",
      "db started / healthy",
      "api started / healthy",
      "migrate started / exited",
      "webapp started / healthy",
    ],
    ups.map((u) => [
      u.scenario,
      seconds(u.seconds),
      `${at(u.startedAfter.db)} / ${at(u.healthyAfter.db)}`,
      `${at(u.startedAfter.api)} / ${at(u.healthyAfter.api)}`,
      `${at(u.startedAfter.migrate)} / ${at(u.migrateExitedAfter)}`,
      `${at(u.startedAfter.webapp)} / ${at(u.healthyAfter.webapp)}`,
    ]),
  );
  section.table(
    ["after", ...STOP_ORDER.map((s) => `stop ${s} (exit code)`)],
    [...new Set(stops.map((s) => s.scenario))].map((scenario) => [
      scenario,
      ...STOP_ORDER.map((service) => {
        const run = stops.find((s) => s.scenario === scenario && s.service === service)!;
        return `${seconds(run.seconds)} (${run.exitCode})`;
      }),
    ]),
  );

  const warm = ups.filter((u) => u.scenario.startsWith("warm"));
  const targets: Target[] = [
    {
      name: "healthy, warm (worst run)",
      measured: Math.max(...warm.map((u) => u.seconds)),
      limit: 5,
      kind: "max",
      format: seconds,
    },
    {
      name: "healthy, warm (median)",
      measured: median(warm.map((u) => u.seconds)),
      limit: 5,
      kind: "max",
      format: seconds,
    },
    {
      // The second pass's target: stopped containers started, as after a reboot or `docker compose stop`.
      name: "healthy, stopped containers started (median)",
      measured: median(warm.filter((u) => u.scenario.startsWith("warm: stopped")).map((u) => u.seconds)),
      limit: 3.5,
      kind: "max",
      format: seconds,
    },
  ];
  for (const service of NODE_SERVICES) {
    const times = stops.filter((s) => s.service === service);
    targets.push({
      name: `stop ${service} (worst run)`,
      measured: Math.max(...times.map((s) => s.seconds)),
      limit: 1,
      kind: "max",
      format: seconds,
    });
    const killed = times.filter((s) => ![0, 143].includes(s.exitCode));
    if (killed.length > 0)
      section.paragraph(
        `**${service} did not exit on its own** in ${killed.length} stop(s): exit codes ${killed.map((s) => s.exitCode).join(", ")}.`,
      );
  }
  section.targets(targets);
  await section.emit(flags.write);
});
