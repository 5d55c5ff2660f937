import { randomUUID } from "node:crypto";
import { execa } from "execa";
import type { StartedDockerComposeEnvironment } from "testcontainers";
import { DockerComposeEnvironment, Wait } from "testcontainers";
import { inspectContainer } from "./containers.js";
import { repoRoot } from "./repo.js";

export interface StackOptions {
  /** Short label for the project name, so a leftover stack says which test made it. */
  label: string;
  /** Compose files, relative to `dir`. */
  files?: string[];
  /** The folder holding the Compose files, and the build context: the repo root unless a test uses a copy. */
  dir?: string;
  /** Extra variables for Compose's interpolation (WEBAPP_HOST_PORT is always 0: a free port). */
  env?: Record<string, string>;
  /** Reuse an existing project name (to bring the same stack back after `down`). */
  project?: string;
  /** Who owns the host port: the webapp, or the proxy in front of it (docker-compose.proxy.yml). */
  entry?: keyof typeof ENTRY_PORTS;
}

/** The port each possible entry service listens on inside its container. */
const ENTRY_PORTS = { webapp: 5000, proxy: 8080 } as const;

export interface Stack {
  project: string;
  files: string[];
  dir: string;
  env: Record<string, string>;
  environment: StartedDockerComposeEnvironment;
  /** The page's address on the host (the webapp's, or the proxy's), e.g. http://127.0.0.1:49157 */
  webappUrl: string;
}

export const uniqueProject = (label: string) => `stockroom-test-${label}-${randomUUID().slice(0, 8)}`;

/**
 * Brings a stack up the way a learner does (`up --build`), under a unique
 * project name and on a free host port, so it never collides with a stack
 * already running on this machine. Resolves once the webapp is healthy.
 */
export async function startStack({
  label,
  files = ["docker-compose.yml"],
  dir = repoRoot,
  env = {},
  project,
  entry = "webapp",
}: StackOptions): Promise<Stack> {
  const name = project ?? uniqueProject(label);
  const fullEnv = { WEBAPP_HOST_PORT: "0", ...env };
  const environment = await new DockerComposeEnvironment(dir, files)
    .withProjectName(name)
    .withEnvironment(fullEnv)
    .withBuild()
    .withWaitStrategy(`${entry}-1`, Wait.forHealthCheck())
    .up();
  const front = environment.getContainer(`${entry}-1`);
  return {
    project: name,
    files,
    dir,
    env: fullEnv,
    environment,
    // 127.0.0.1, not front.getHost(): Compose publishes on loopback only
    // (PUBLISH_ADDRESS), and getHost() names the Docker bridge's gateway
    // whenever /.dockerenv exists, an address nothing is published on.
    webappUrl: `http://127.0.0.1:${front.getMappedPort(ENTRY_PORTS[entry])}`,
  };
}

/**
 * The stack behind the front door (docker-compose.proxy.yml): nginx on a free
 * port, 3 webapp and 3 api replicas. Each gets its own subnet for the proxy's
 * network, drawn from its label, so the test files that run at the same time
 * (each with its own label) never ask for the same one, and none of them for
 * the lesson's 10.213.47.0/24. `more` adds Compose files after the proxy's
 * (docker-compose.observe.yml).
 */
export function startProxyStack(label: string, env: Record<string, string> = {}, more: string[] = []): Promise<Stack> {
  const hash = [...label].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 150, 7);
  const subnet = `10.213.${100 + hash}.0/24`;
  return startStack({
    label,
    files: ["docker-compose.yml", "docker-compose.proxy.yml", ...more],
    env: { PROXY_SUBNET: subnet, ...env },
    entry: "proxy",
  });
}

/** Runs `docker compose <args>` against a stack's project and files. */
export function compose(stack: Pick<Stack, "project" | "files" | "env"> & { dir?: string }, args: string[]) {
  const fileArgs = stack.files.flatMap((file) => ["-f", file]);
  return execa("docker", ["compose", "-p", stack.project, ...fileArgs, ...args], {
    cwd: stack.dir ?? repoRoot,
    env: stack.env,
  });
}

/** Tears a stack down with its volumes: a test leaves no container, network or volume behind. */
export async function removeStack(stack: Stack | undefined): Promise<void> {
  if (!stack) return;
  await stack.environment.down({ removeVolumes: true, timeout: 10_000 });
}

/** What `docker inspect` says of a service's (first) container, running or not. */
export async function inspectService(stack: Pick<Stack, "project" | "files" | "env">, service: string) {
  const { stdout: ids } = await compose(stack, ["ps", "--all", "--quiet", service]);
  const id = ids.trim().split("\n")[0];
  if (!id) throw new Error(`service ${service} has no container in project ${stack.project}`);
  return inspectContainer(id);
}

/** Polls `check` until it passes or `timeoutMs` runs out (then throws its last error). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
