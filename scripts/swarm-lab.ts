// npm run swarm:lab:up [-- --observe] | swarm:lab:down: a three-machine Swarm
// on this one machine (lesson 17); --observe adds lesson 18's Prometheus
// (docker-compose.observe.yml with docker-stack.observe.yml), scraping every
// task on every node. swarm-lab/compose.yml starts a registry and three
// Docker engines; this script makes them a swarm, puts the project's images
// in the registry, deploys the stack through scripts/swarm-stack-file.ts and
// waits for the page. `down` removes all of it: containers, the engines'
// volumes (their images, containers and swarm state), the network, and the
// registry tags it left on this machine.
//
// Every step prints one line a learner can follow and, when it fails, what to
// do. The nodes are driven with `docker compose exec manager docker ...`: the
// engines' API port is never published, since it is root on this machine.
//
// Plain Node.js, no dependencies, like the other scripts.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isEntryPoint } from "./is-entry-point.ts";
import { stackFileFromCompose } from "./swarm-stack-file.ts";

type Json = Record<string, unknown>;
const repoDir = fileURLToPath(new URL("..", import.meta.url));

// Read by a person's `npm run`, not by a turbo task: no turbo.json entry.
const { SWARM_LAB_PROJECT, SWARM_LAB_PORT, SWARM_LAB_REGISTRY_PORT } = process.env;
const project = SWARM_LAB_PROJECT || "stockroom-swarm-lab";
const pagePort = SWARM_LAB_PORT || "8090";
/** Where this machine pushes; the nodes pull the same repositories as registry:5000/... */
const pushTo = `127.0.0.1:${SWARM_LAB_REGISTRY_PORT || "5050"}`;
const NODE_REGISTRY = "registry:5000";
/** Never :latest on a cluster (lesson 16): a tag that names one build. */
const TAG = "v1";
const STACK = "stockroom";
/** With --observe, Prometheus too (docker-compose.observe.yml + docker-stack.observe.yml), on the manager. */
const observe = process.argv.slice(3).includes("--observe");
const PROMETHEUS = "prom/prometheus:v3.5.0";
/** Docker Hub images the nodes pull through their mirror, the lab registry: loaded there from this machine. */
const MIRRORED = ["postgres:17-trixie", "nginx:1-trixie", ...(observe ? [PROMETHEUS] : [])];
const IMAGES_THE_LAB_RUNS = ["registry:3", "docker:28-dind", ...MIRRORED];
/** What the stack file merges over docker-compose.yml and docker-stack.yml. */
const STACK_FILES = [
  ...(observe ? ["docker-compose.observe.yml", "docker-stack.observe.yml"] : []),
  "swarm-lab/stack.yml",
];

class StepFailed extends Error {
  readonly fix: string;
  constructor(message: string, fix: string) {
    super(message);
    this.fix = fix;
  }
}

/** Runs a program (no shell), collecting its output; throws StepFailed with `fix` when it fails. */
function run(program: string, args: string[], fix: string, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: repoDir, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (err) => reject(new StepFailed(`${program}: ${err.message}`, fix)));
    child.on("close", (code) => {
      if (code === 0) resolve(output.trim());
      else reject(new StepFailed(`\`${[program, ...args].join(" ")}\` exited ${code}:\n${tail(output)}`, fix));
    });
    // A program that reads no input may exit before its stdin is closed: that EPIPE is no
    // failure of ours (its exit code says how it went), and unhandled it would crash the script.
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
  });
}

const tail = (text: string) =>
  text
    .trim()
    .split("\n")
    .slice(-15)
    .map((line) => `    ${line}`)
    .join("\n");

const lab = (args: string[], fix: string, input?: string) =>
  run("docker", ["compose", "-p", project, "-f", "swarm-lab/compose.yml", ...args], fix, input);
const on = (node: string, args: string[], fix: string, input?: string) =>
  lab(["exec", "-T", node, "docker", ...args], fix, input);
const onManager = (args: string[], fix: string, input?: string) => on("manager", args, fix, input);

/** What a learner types to run a docker command on the manager: like ssh to it, then docker. */
const onTheManager = `docker exec ${project}-manager-1 docker`;
const LOGS = (node: string) => `look at \`docker compose -p ${project} logs ${node}\``;

async function formSwarm(): Promise<void> {
  const state = () => onManager(["info", "--format", "{{.Swarm.LocalNodeState}}"], LOGS("manager"));
  const fix = `${LOGS("manager")}, then \`npm run swarm:lab:down\` and up again`;
  // A heartbeat every 2 s, not Swarm's 5: the manager marks a silent node Down after three missed
  // ones, so lesson 17's killed worker is Down in about 6 s instead of 15.
  if ((await state()) !== "active") {
    await onManager(["swarm", "init", "--advertise-addr", "eth0", "--dispatcher-heartbeat", "2s"], fix);
  }
  const token = await onManager(["swarm", "join-token", "--quiet", "worker"], fix);
  for (const worker of ["worker1", "worker2"]) {
    const joined = await on(worker, ["info", "--format", "{{.Swarm.LocalNodeState}}"], LOGS(worker));
    if (joined !== "active") await on(worker, ["swarm", "join", "--token", token, "manager:2377"], LOGS(worker));
  }
  // The database's volume lives on the node that runs it: this label pins it there (swarm-lab/stack.yml).
  await onManager(["node", "update", "--label-add", "stockroom-db=true", "manager"], fix);
}

async function pushImages(): Promise<void> {
  const fix = `is the registry up? \`curl -s http://${pushTo}/v2/\` should answer {}; ${LOGS("registry")}`;
  const ours = ["stockroom-webapp", "stockroom-api"].map((name) => [`${name}:latest`, `${pushTo}/${name}:${TAG}`]);
  // Docker Hub's official images live under library/ (postgres is library/postgres); others keep their path.
  const hub = MIRRORED.map((image) => [image, `${pushTo}/${image.includes("/") ? "" : "library/"}${image}`]);
  // All at once: pushing is mostly compressing layers, and the registry takes them in parallel.
  const pushed = await Promise.all(
    [...ours, ...hub].map(async ([local = "", remote = ""]) => {
      await run("docker", ["tag", local, remote], fix);
      await run("docker", ["push", "--quiet", remote], fix);
      return remote;
    }),
  );
  for (const remote of pushed) console.log(`      ${remote}`);
}

/**
 * Waits until every service of the stack runs all its tasks (a task counts once its healthcheck
 * passes), and the migrate job has completed. `stack deploy --detach=false` would wait too, but
 * one service after another, each for 5 to 10 s more to see its tasks stay up: 25 s of the lab's start.
 */
async function waitForServices(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let waitingFor: string[] = [];
  while (Date.now() < deadline) {
    const services = await onManager(
      ["stack", "services", STACK, "--format", "{{.Name}} {{.Replicas}}"],
      LOGS("manager"),
    );
    waitingFor = services
      .split("\n")
      .filter((line) => !/ (\d+)\/\1$/.test(line) && !/ \((\d+)\/\1 completed\)$/.test(line));
    if (services !== "" && waitingFor.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new StepFailed(
    `these services did not run all their tasks within ${timeoutMs / 1000} s: ${waitingFor.join(", ")}`,
    `see the tasks: \`${onTheManager} stack ps ${STACK} --no-trunc\``,
  );
}

/** The stack file, with the files its secrets and configs name copied to the manager, where `stack deploy` reads them. */
async function stackFileOnManager(): Promise<string> {
  const { stack } = await stackFileFromCompose(STACK_FILES, { registry: NODE_REGISTRY, tag: TAG }).catch(
    (err: Error & { stderr?: string }) => {
      throw new StepFailed(err.stderr?.trim() || err.message, "run `npm run swarm:stack-file` to see what it says");
    },
  );
  const fix = LOGS("manager");
  await lab(["exec", "-T", "manager", "mkdir", "-p", "/stack-files"], fix);
  for (const section of ["secrets", "configs"]) {
    for (const [name, entry] of Object.entries((stack[section] ?? {}) as Record<string, Json>)) {
      if (typeof entry.file !== "string") continue;
      const onNode = `/stack-files/${section}-${name}`;
      await lab(["cp", entry.file, `manager:${onNode}`], fix);
      entry.file = onNode;
    }
  }
  return JSON.stringify(stack, null, 2);
}

async function waitForPage(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      const html = await res.text();
      if (res.ok && html.includes("The API says:")) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new StepFailed(
    `the page did not answer within ${timeoutMs / 1000} s (${last})`,
    `see the tasks: \`${onTheManager} stack ps ${STACK} --no-trunc\``,
  );
}

async function up(): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    [
      `checking the images the lab runs are here: ${IMAGES_THE_LAB_RUNS.join(", ")}`,
      () => run("docker", ["image", "inspect", ...IMAGES_THE_LAB_RUNS], `docker pull ${IMAGES_THE_LAB_RUNS.join(" ")}`),
    ],
    [
      `starting the registry and three engines (Compose project ${project}), waiting for each engine's docker info`,
      () =>
        lab(
          ["up", "--detach", "--wait", "--wait-timeout", "300"],
          "the engines run privileged: Docker Desktop and a root engine allow it, rootless Docker does not. " +
            `${LOGS("manager")}; a port in use? set SWARM_LAB_PORT or SWARM_LAB_REGISTRY_PORT`,
        ),
    ],
    ["forming the swarm: manager inits, worker1 and worker2 join, the manager gets the db label", formSwarm],
    [
      "building the images (docker compose build webapp api)",
      () => run("docker", ["compose", "build", "webapp", "api"], "run `docker compose build` to see the whole error"),
    ],
    [`pushing them to the lab registry (${pushTo}), with the Docker Hub images the nodes need`, pushImages],
    [
      `deploying the stack ${STACK}: ${["docker-compose.yml", "docker-stack.yml", ...STACK_FILES].join(" + ")}`,
      async () =>
        onManager(
          ["stack", "deploy", "--detach", "-c", "-", STACK],
          `see the tasks: \`${onTheManager} stack ps ${STACK} --no-trunc\``,
          await stackFileOnManager(),
        ),
    ],
    [
      `waiting for every service's tasks to run (docker stack services ${STACK}), then the page on http://localhost:${pagePort}`,
      async () => {
        await waitForServices(180_000);
        await waitForPage(`http://127.0.0.1:${pagePort}/`, 60_000);
      },
    ],
  ];
  await runSteps(steps);
  console.log(`\nThe lab is up: open http://localhost:${pagePort}`);
  console.log(`  its nodes:     ${onTheManager} node ls`);
  console.log(`  its tasks:     ${onTheManager} stack ps ${STACK}`);
  console.log("  remove it all: npm run swarm:lab:down");
}

async function down(): Promise<void> {
  await runSteps([
    [
      `removing the lab's containers, the engines' volumes and the network (Compose project ${project})`,
      () =>
        lab(
          ["down", "--volumes", "--remove-orphans", "--timeout", "5"],
          "run it again; `docker ps -a` lists what is left",
        ),
    ],
    [
      `removing the ${pushTo}/... tags the lab left on this machine (the images stay)`,
      async () => {
        const tags = (await run("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}"], "run it again"))
          .split("\n")
          // An image pushed again under the same tag leaves the old one as <none>: not a name rmi takes.
          .filter((tag) => tag.startsWith(`${pushTo}/`) && !tag.endsWith(":<none>"));
        if (tags.length > 0) await run("docker", ["rmi", ...tags], "remove them with docker rmi");
      },
    ],
  ]);
  console.log("\nThe lab is gone.");
}

async function runSteps(steps: [string, () => Promise<unknown>][]): Promise<void> {
  for (const [index, [title, action]] of steps.entries()) {
    const started = Date.now();
    console.log(`[${index + 1}/${steps.length}] ${title}`);
    try {
      await action();
    } catch (err) {
      const fix = err instanceof StepFailed ? err.fix : "run it again";
      console.error(`  ✘ failed: ${(err as Error).message}\n  What to do: ${fix}`);
      process.exit(1);
    }
    console.log(`  ✔ ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

if (isEntryPoint(import.meta)) {
  const command = process.argv[2];
  const flags = process.argv.slice(3);
  if (command === "up" && flags.every((flag) => flag === "--observe")) await up();
  else if (command === "down" && flags.length === 0) await down();
  else {
    console.error(
      "usage: node scripts/swarm-lab.ts up [--observe] | down (npm run swarm:lab:up [-- --observe], npm run swarm:lab:down)",
    );
    process.exitCode = 2;
  }
}
