import { execa } from "execa";
import { freePort } from "../support/free-port.js";
import type { Sample } from "../support/load.js";
import { loadPages } from "../support/load.js";
import { repoRoot } from "../support/repo.js";
import { uniqueProject } from "../support/stack.js";

// The three-node lab (swarm-lab/, scripts/swarm-lab.ts) as the tests drive
// it: brought up by the same script a learner runs, under a test project name
// (so the suite's leftover check sees it) and on free ports, then driven on
// its manager with `docker compose exec manager docker ...`.

export const STACK = "stockroom";

export interface Lab {
  project: string;
  /** The front door on the manager, as this machine reaches it. */
  pageUrl: string;
  /** Where this machine pushes (the nodes pull the same repositories as registry:5000/...). */
  pushTo: string;
  env: Record<string, string>;
}

/**
 * `npm run swarm:lab:up`, under a unique name; throws with the script's own steps when it fails.
 * `observe`: `-- --observe`, with lesson 18's Prometheus (docker-compose.observe.yml + docker-stack.observe.yml).
 */
export async function startLab({ observe = false } = {}): Promise<Lab> {
  const [pagePort, registryPort] = [await freePort(), await freePort()];
  const env = {
    SWARM_LAB_PROJECT: uniqueProject("swarm-lab"),
    SWARM_LAB_PORT: String(pagePort),
    SWARM_LAB_REGISTRY_PORT: String(registryPort),
  };
  const lab = {
    project: env.SWARM_LAB_PROJECT,
    pageUrl: `http://127.0.0.1:${pagePort}/`,
    pushTo: `127.0.0.1:${registryPort}`,
    env,
  };
  const args = ["scripts/swarm-lab.ts", "up", ...(observe ? ["--observe"] : [])];
  const up = await execa("node", args, { cwd: repoRoot, env, all: true, reject: false });
  if (up.exitCode !== 0) {
    await stopLab(lab);
    throw new Error(`npm run swarm:lab:up failed:\n${up.all}`);
  }
  return lab;
}

/** `npm run swarm:lab:down`: containers, the engines' volumes, the network, the pushed tags. */
export async function stopLab(lab: Lab | undefined): Promise<void> {
  if (!lab) return;
  await execa("node", ["scripts/swarm-lab.ts", "down"], { cwd: repoRoot, env: lab.env });
}

/** `docker <args>` on one of the lab's engines (the manager unless told). */
export async function onNode(lab: Lab, args: string[], node = "manager"): Promise<string> {
  const compose = ["compose", "-p", lab.project, "-f", "swarm-lab/compose.yml", "exec", "-T", node, "docker"];
  const { stdout } = await execa("docker", [...compose, ...args], { cwd: repoRoot });
  return stdout.trim();
}

/** The node's engine container killed (SIGKILL): to the swarm, a machine gone without a word. */
export async function killNode(lab: Lab, node: string): Promise<void> {
  await execa("docker", ["compose", "-p", lab.project, "-f", "swarm-lab/compose.yml", "kill", node], { cwd: repoRoot });
}

export interface Task {
  service: string;
  node: string;
  image: string;
  state: string;
}

/** The stack's tasks meant to run, with the node each is on. */
export async function runningTasks(lab: Lab): Promise<Task[]> {
  const format = "{{.Name}}\t{{.Node}}\t{{.Image}}\t{{.CurrentState}}";
  const out = await onNode(lab, ["stack", "ps", STACK, "--filter", "desired-state=running", "--format", format]);
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [name = "", node = "", image = "", state = ""] = line.split("\t");
      return { service: name.replace(`${STACK}_`, "").replace(/\.\w+$/, ""), node, image, state };
    });
}

/** Node name -> Ready/Down, and Active/Drain. */
export async function nodes(lab: Lab): Promise<Record<string, { status: string; availability: string }>> {
  const out = await onNode(lab, ["node", "ls", "--format", "{{.Hostname}}\t{{.Status}}\t{{.Availability}}"]);
  return Object.fromEntries(
    out
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [name = "", status = "", availability = ""] = line.split("\t");
        return [name, { status, availability }];
      }),
  );
}

/**
 * Service -> tasks really running: state Running, on a node that is Ready.
 * `docker service ls` is not enough: for a while after a node dies, it still
 * counts the tasks the dead node last reported.
 */
export async function runningReplicas(lab: Lab): Promise<Record<string, number>> {
  const [tasks, nodeStates] = [await runningTasks(lab), await nodes(lab)];
  const counts: Record<string, number> = {};
  for (const task of tasks) {
    if (!task.state.startsWith("Running") || nodeStates[task.node]?.status !== "Ready") continue;
    counts[task.service] = (counts[task.service] ?? 0) + 1;
  }
  return counts;
}

/** The replicas the lab's stack asks for (docker-stack.yml, the observe files and swarm-lab/stack.yml). */
export const DESIRED = { api: 2, db: 1, "front-door": 1, prometheus: 1, webapp: 2 };

/** Page loads from one client, back to back, for as long as `action` runs; resolves to both. */
export async function loadingWhile<T>(lab: Lab, action: () => Promise<T>): Promise<{ samples: Sample[]; result: T }> {
  let running = true;
  const load = loadPages(lab.pageUrl, {
    clients: 1,
    get until() {
      return running ? Number.POSITIVE_INFINITY : 0;
    },
    notice: (_status, body) => (body.includes("The API says:") ? undefined : "no word from the api"),
  });
  try {
    const result = await action();
    running = false;
    return { samples: await load, result };
  } finally {
    // On a failed action too: the client stops before the test reports.
    running = false;
    await load;
  }
}

/** Builds a variant of the lab's api image from a two-line Dockerfile and pushes it to the lab registry. */
export async function pushApiVariant(lab: Lab, tag: string, dockerfileLine: string): Promise<void> {
  const image = `${lab.pushTo}/stockroom-api:${tag}`;
  await execa("docker", ["build", "--quiet", "--tag", image, "-"], {
    input: `FROM ${lab.pushTo}/stockroom-api:v1\n${dockerfileLine}\n`,
  });
  await execa("docker", ["push", "--quiet", image]);
}

/** The manifest digest the lab registry holds for repository:tag, asked as the engines ask. */
export async function registryDigest(lab: Lab, repository: string, tag: string): Promise<string> {
  const accept = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
  ].join(", ");
  const res = await fetch(`http://${lab.pushTo}/v2/${repository}/manifests/${tag}`, {
    method: "HEAD",
    headers: { accept },
  });
  return res.headers.get("docker-content-digest") ?? `none (HTTP ${res.status})`;
}
