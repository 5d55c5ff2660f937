// npm run workshop:reset: back to before the first lesson, whatever lessons
// were left halfway. It removes what the lessons make, and only that:
//
//   - lesson 13's stack, then swarm mode, when this engine is a swarm of its
//     own with nothing else on it (a swarm you use for other things stays);
//   - the containers, networks and volumes of the lessons' Compose projects
//     (stockroom, lesson5, lesson6, the Swarm lab of lesson 17), and the ones
//     the lessons name themselves: every lesson names its own `stockroom-...`;
//   - the image tags the lessons add: `stockroom-*` other than `:latest`,
//     and the copies pushed to the lessons' registries on 127.0.0.1:5050;
//   - lesson 7's note of an old volume, in /tmp.
//
// It keeps the images `npm run workshop:prepare` pulled or built (the base
// images and `stockroom-*:latest`), so the lessons still need no network, and
// it never touches files in the repository: your own compose.yaml of lessons 5
// and 6 or a backup of lesson 7 stay. It ends with what it removed.
//
// Plain Node.js, no dependencies, like the other scripts.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { isEntryPoint } from "./is-entry-point.ts";

/** The Compose projects the lessons start: the stack's, lesson 5's, lesson 6's and the Swarm lab's (lesson 17). */
export const LESSON_PROJECTS = ["stockroom", "lesson5", "lesson6", "stockroom-swarm-lab"];
/** Lesson 13's stack on a single-node swarm. */
export const LESSON_STACK = "stockroom-swarm";
/** Every container, network and volume a lesson creates by name starts so. */
const LESSON_NAME = /^stockroom[-_]/;
/** The image tags lessons add: their own versions, and what they push to their registries. */
const LESSON_TAG = /^(stockroom-[\w.-]+:(?!latest$)[\w.-]+|(127\.0\.0\.1|localhost):5050\/.+)$/;
/** Lesson 7 writes the name of the volume it leaves behind here. */
export const LESSON_FILES = ["/tmp/stockroom-old-db-volume.txt"];

/** Runs `docker <args>`; resolves with its output, rejects with its error output. */
export type Docker = (args: string[]) => Promise<string>;

export interface Removed {
  stack: boolean;
  swarm: "left" | "kept" | "off";
  /** Why swarm mode was kept, when it was. */
  swarmKeptBecause?: string;
  containers: string[];
  networks: string[];
  volumes: string[];
  images: string[];
}

const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "");
const byProject = (project: string | undefined) => project !== undefined && LESSON_PROJECTS.includes(project);

/** Lesson 13's stack and swarm mode, unless the swarm is one the learner uses for something else. */
async function resetSwarm(docker: Docker, removed: Removed, waitMs: number): Promise<void> {
  if ((await docker(["info", "--format", "{{.Swarm.LocalNodeState}}"])).trim() !== "active") return;
  const services = lines(await docker(["service", "ls", "--format", "{{.Name}}"]).catch(() => ""));
  if (services.some((name) => name.startsWith(`${LESSON_STACK}_`))) {
    await docker(["stack", "rm", LESSON_STACK]);
    removed.stack = true;
    // `stack rm` returns before its containers are gone; the networks go with the last of them.
    const deadline = Date.now() + waitMs;
    const label = `label=com.docker.stack.namespace=${LESSON_STACK}`;
    while (lines(await docker(["ps", "-aq", "--filter", label])).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const others = services.filter((name) => !name.startsWith(`${LESSON_STACK}_`));
  const nodes = lines(await docker(["node", "ls", "--format", "{{.Hostname}}"]).catch(() => "one"));
  if (others.length > 0 || nodes.length > 1) {
    removed.swarm = "kept";
    removed.swarmKeptBecause =
      others.length > 0
        ? `it runs services that are not the workshop's: ${others.join(", ")}`
        : `it has ${nodes.length} nodes`;
    return;
  }
  await docker(["swarm", "leave", "--force"]);
  removed.swarm = "left";
  // The bridge swarm mode made for its containers' outside traffic (lesson 13 removes it too).
  await docker(["network", "rm", "docker_gwbridge"]).then(
    () => removed.networks.push("docker_gwbridge"),
    () => undefined,
  );
}

/** Removes everything of the lessons on this engine and says what it was; `waitMs` bounds the wait for a stack to go. */
export async function resetWorkshop(docker: Docker, waitMs = 60_000): Promise<Removed> {
  const removed: Removed = { stack: false, swarm: "off", containers: [], networks: [], volumes: [], images: [] };
  await resetSwarm(docker, removed, waitMs);

  const project = '{{.Label "com.docker.compose.project"}}';
  const containers = lines(await docker(["ps", "-a", "--format", `{{.ID}}\t{{.Names}}\t${project}`]))
    .map((line) => line.split("\t"))
    .filter(([, name = "", owner]) => byProject(owner) || LESSON_NAME.test(name));
  if (containers.length > 0) {
    // -v: with their anonymous volumes, which no name or label would find later.
    await docker(["rm", "-f", "-v", ...containers.map(([id = ""]) => id)]);
    removed.containers = containers.map(([, name = ""]) => name).sort();
  }

  const networks = lines(await docker(["network", "ls", "--format", `{{.Name}}\t${project}`]))
    .map((line) => line.split("\t"))
    .filter(([name = "", owner]) => byProject(owner) || LESSON_NAME.test(name))
    .map(([name = ""]) => name);
  if (networks.length > 0) {
    await docker(["network", "rm", ...networks]);
    removed.networks.push(...networks.sort());
  }

  const volumes = lines(await docker(["volume", "ls", "--format", `{{.Name}}\t${project}`]))
    .map((line) => line.split("\t"))
    .filter(([name = "", owner]) => byProject(owner) || LESSON_NAME.test(name))
    .map(([name = ""]) => name);
  if (volumes.length > 0) {
    await docker(["volume", "rm", "-f", ...volumes]);
    removed.volumes = volumes.sort();
  }

  const images = lines(await docker(["images", "--format", "{{.Repository}}:{{.Tag}}"])).filter((tag) =>
    LESSON_TAG.test(tag),
  );
  if (images.length > 0) {
    await docker(["rmi", ...images]);
    removed.images = images.sort();
  }
  for (const file of LESSON_FILES) rmSync(file, { force: true });
  return removed;
}

/** What a person reads at the end: one line per kind, and what was kept. */
export function describeRemoved(removed: Removed): string[] {
  const list = (what: string, names: string[]) => (names.length > 0 ? [`  ${what}: ${names.join(", ")}`] : []);
  const swarm = {
    left: ["  swarm mode: left (lesson 13)"],
    kept: [`  swarm mode: kept, since ${removed.swarmKeptBecause}`],
    off: [],
  }[removed.swarm];
  const body = [
    ...(removed.stack ? [`  the stack ${LESSON_STACK} (lesson 13)`] : []),
    ...swarm,
    ...list("containers", removed.containers),
    ...list("networks", removed.networks),
    ...list("volumes", removed.volumes),
    ...list("image tags", removed.images),
  ];
  const kept = "Kept: the images the preparation pulled and built (stockroom-*:latest), and your files.";
  if (body.length === 0 || (body.length === 1 && removed.swarm === "kept")) {
    return ["Nothing of the workshop's was left on this engine.", ...body, kept];
  }
  return ["Removed what the lessons left:", ...body, kept];
}

function docker(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("docker", args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (err) => reject(new Error(`docker: ${err.message}`)));
    child.on("close", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`docker ${args.join(" ")}: ${stderr.trim() || `exit ${code}`}`)),
    );
  });
}

if (isEntryPoint(import.meta)) {
  try {
    for (const line of describeRemoved(await resetWorkshop(docker))) console.log(line);
  } catch (err) {
    console.error(`✘ ${(err as Error).message}`);
    console.error("What to do: is Docker running? `docker info` should answer; then run npm run workshop:reset again.");
    process.exitCode = 1;
  }
}
