// Compose lifecycle (issue item 3): from built images, `up -d --wait` until every service is healthy on a cold volume,
// then warm (stopped containers started again; containers recreated after `down`, the volume kept), and
// `docker compose stop <service>` one at a time after each.
//   node bench/stack/lifecycle.ts [--quick] [--write <file>] [--no-build] [--repeat <n>]
import { log, median, parseFlags, runScript, timed } from "../lib/script.ts";
import { describeMachine, Section, seconds, target } from "../lib/section.ts";
import type { ComposeProject } from "./compose.ts";
import { composeProject, inspectContainer } from "./compose.ts";

const flags = parseFlags({ "no-build": { type: "boolean", default: false }, repeat: { type: "string" } });
const REPEAT = Number(flags.repeat ?? (flags.quick ? 1 : 3));
/** Dependents first, as `docker compose stop` of the whole stack does. */
const STOP_ORDER = ["webapp", "api", "db"] as const;
/** Docker's timestamps have nanoseconds; Date.parse wants at most milliseconds. */
const parseDockerTime = (value: string) => Date.parse(value.replace(/(\.\d{3})\d*/, "$1"));

/** Its wall time, and per service "started / healthy" (migrate: exited), in seconds from the command's start. */
async function up(stack: ComposeProject, scenario: string) {
  log(`${scenario}: up -d --wait`);
  const startedAt = Date.now();
  const { seconds: took } = await timed(() => stack.run(["up", "-d", "--wait", "--no-build"]));
  const at = (time: string | undefined) => {
    const since = time ? (parseDockerTime(time) - startedAt) / 1000 : -1;
    return since < 0 ? "-" : since.toFixed(1);
  };
  const services: string[] = [];
  for (const service of ["db", "api", "migrate", "webapp"]) {
    const state = await inspectContainer(await stack.containerId(service));
    const firstPass = state.Health?.Log?.find((e) => e.ExitCode === 0 && parseDockerTime(e.End) >= startedAt);
    services.push(`${at(state.StartedAt)} / ${at(service === "migrate" ? state.FinishedAt : firstPass?.End)}`);
  }
  log(`${scenario}: healthy in ${took.toFixed(2)} s`);
  return { scenario, seconds: took, services };
}

async function stopEach(stack: ComposeProject, scenario: string) {
  const stops = [];
  for (const service of STOP_ORDER) {
    const id = await stack.containerId(service);
    const { seconds: took } = await timed(() => stack.run(["stop", service]));
    stops.push({ service, seconds: took, exitCode: (await inspectContainer(id)).ExitCode });
  }
  const each = stops.map((s) => `${s.service} ${s.seconds.toFixed(2)} s (exit ${s.exitCode})`);
  log(`${scenario}: stopped ${each.join(", ")}`);
  return { scenario, stops };
}

await runScript(async () => {
  const machine = await describeMachine();
  const stack = composeProject("lifecycle");
  if (!flags["no-build"]) log("building the images first (not part of the lifecycle numbers)");
  const build = flags["no-build"] ? undefined : await timed(() => stack.run(["build"]));
  const built = build ? ` The images were built first (${seconds(build.seconds)}, not counted).` : "";
  const ups = [await up(stack, "cold (new volume, initdb)")];
  const stopped = [await stopEach(stack, "after cold up")];
  for (let i = 1; i <= REPEAT; i++) {
    ups.push(await up(stack, `warm: stopped containers started (${i})`));
    stopped.push(await stopEach(stack, `warm restart (${i})`));
  }
  for (let i = 1; i <= REPEAT; i++) {
    log("down (volume kept)");
    await stack.run(["down", "--timeout", "10"]);
    ups.push(await up(stack, `warm: containers recreated, volume kept (${i})`));
    stopped.push(await stopEach(stack, `warm recreate (${i})`));
  }

  const section = Section.onStack("Compose lifecycle", machine, flags.quick);
  section.paragraph(
    `\`docker compose up -d --wait --no-build\` from built images, timed until Compose reports every service healthy (migrate exited 0). The per-service columns are seconds from the \`up\` command's start to the container starting and to its first passing healthcheck (migrate: to its exit). Stops are \`docker compose stop <service>\` one at a time (webapp, api, db), timed as the command's wall time.${built}`,
  );
  section.table(
    "scenario | up -d --wait | db started / healthy | api started / healthy | migrate started / exited | webapp started / healthy",
    ups.map((u) => [u.scenario, seconds(u.seconds), ...u.services]),
  );
  section.table(
    `after | ${STOP_ORDER.map((s) => `stop ${s} (exit code)`).join(" | ")}`,
    stopped.map(({ scenario, stops }) => [scenario, ...stops.map((s) => `${seconds(s.seconds)} (${s.exitCode})`)]),
  );
  const warm = ups.filter((u) => u.scenario.startsWith("warm")).map((u) => u.seconds);
  const restarted = ups.filter((u) => u.scenario.startsWith("warm: stopped")).map((u) => u.seconds);
  const targets = [
    target("healthy, warm (worst run)", Math.max(...warm), "≤", 5, seconds),
    target("healthy, warm (median)", median(warm), "≤", 5, seconds),
    // The second pass's target: stopped containers started, as after a reboot or `docker compose stop`.
    target("healthy, stopped containers started (median)", median(restarted), "≤", 3.5, seconds),
  ];
  for (const service of ["webapp", "api"]) {
    const stops = stopped.flatMap((s) => s.stops).filter((s) => s.service === service);
    targets.push(target(`stop ${service} (worst run)`, Math.max(...stops.map((s) => s.seconds)), "≤", 1, seconds));
    const killed = stops.filter((s) => ![0, 143].includes(s.exitCode)).map((s) => s.exitCode);
    const note = `**${service} did not exit on its own** in ${killed.length} stop(s): exit codes ${killed.join(", ")}.`;
    if (killed.length > 0) section.paragraph(note);
  }
  await section.targets(targets).emit(flags.write);
});
