import { randomUUID } from "node:crypto";
import { execa } from "execa";
import { DockerComposeEnvironment, type StartedDockerComposeEnvironment, Wait } from "testcontainers";
import { repoRoot } from "./repo.js";

export interface StackOptions {
  /** Short label for the project name, so a leftover stack says which test made it. */
  label: string;
  /** Compose files, relative to the repo root. */
  files?: string[];
  /** Extra variables for Compose's interpolation (WEBAPP_HOST_PORT is always 0: a free port). */
  env?: Record<string, string>;
  /** Reuse an existing project name (to bring the same stack back after `down`). */
  project?: string;
}

export interface Stack {
  project: string;
  files: string[];
  env: Record<string, string>;
  environment: StartedDockerComposeEnvironment;
  /** The webapp's address on the host, e.g. http://127.0.0.1:49157 */
  webappUrl: string;
}

export const uniqueProject = (label: string) => `stockroom-test-${label}-${randomUUID().slice(0, 8)}`;

/**
 * Brings a stack up the way a learner does (`up --build`), under a unique
 * project name and on a free host port, so it never collides with a stack
 * already running on this machine. Resolves once the webapp is healthy.
 */
export async function startStack({ label, files = ["docker-compose.yml"], env = {}, project }: StackOptions): Promise<Stack> {
  const name = project ?? uniqueProject(label);
  const fullEnv = { WEBAPP_HOST_PORT: "0", ...env };
  const environment = await new DockerComposeEnvironment(repoRoot, files)
    .withProjectName(name)
    .withEnvironment(fullEnv)
    .withBuild()
    .withWaitStrategy("webapp-1", Wait.forHealthCheck())
    .up();
  const webapp = environment.getContainer("webapp-1");
  return {
    project: name,
    files,
    env: fullEnv,
    environment,
    webappUrl: `http://${webapp.getHost()}:${webapp.getMappedPort(5000)}`,
  };
}

/** Runs `docker compose <args>` against a stack's project and files. */
export function compose(stack: Pick<Stack, "project" | "files" | "env">, args: string[]) {
  const fileArgs = stack.files.flatMap((file) => ["-f", file]);
  return execa("docker", ["compose", "-p", stack.project, ...fileArgs, ...args], {
    cwd: repoRoot,
    env: stack.env,
  });
}

/** Tears a stack down with its volumes: a test leaves no container, network or volume behind. */
export async function removeStack(stack: Stack | undefined): Promise<void> {
  if (!stack) return;
  await stack.environment.down({ removeVolumes: true, timeout: 10_000 });
}
