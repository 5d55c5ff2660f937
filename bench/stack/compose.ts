import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Options } from "execa";
import { execa } from "execa";
import { interrupted, log, onCleanup } from "./cli.ts";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface ComposeProject {
  /** `stockroom-bench-<label>-<random>`: never the learner's `stockroom` stack. */
  name: string;
  /** Runs `docker compose -p <name> <args>` from the repo root. */
  run(args: string[], options?: Options): ReturnType<typeof execa>;
  /** The same with `--profile jobs`, for `build` and `down` to cover the restock job (never for `up`: it would run the job). */
  runWithJobs(args: string[], options?: Options): ReturnType<typeof execa>;
  /** `down -v --remove-orphans`: containers, networks and the volume go. Idempotent. */
  down(): Promise<void>;
  /** The page's address on the host, the webapp's or the proxy's (a free port: WEBAPP_HOST_PORT=0). */
  webappUrl(): Promise<string>;
  /** `psql` inside the db container; returns its unaligned, tuples-only output. */
  psql(sql: string): Promise<string>;
  /** The container id of a service's first container ("" when it has none). */
  containerId(service: string): Promise<string>;
}

export interface ProjectOptions {
  /** Compose files over the base one, e.g. docker-compose.proxy.yml. */
  overrides?: string[];
  /** More variables for Compose's interpolation. */
  env?: Record<string, string>;
  /** The service and container port that take the page's requests (the webapp's 5000 by default). */
  entry?: { service: string; port: number };
}

/**
 * A Compose project under a unique name, on a free host port, whose teardown
 * (`down -v`) is registered to run however the script ends.
 */
export function composeProject(
  label: string,
  { overrides = [], env: extraEnv = {}, entry = { service: "webapp", port: 5000 } }: ProjectOptions = {},
): ComposeProject {
  const name = `stockroom-bench-${label}-${randomBytes(4).toString("hex")}`;
  const env = { WEBAPP_HOST_PORT: "0", ...extraEnv };
  const files = ["docker-compose.yml", ...overrides].flatMap((file) => ["-f", file]);
  const compose = (profiles: string[], args: string[], options: Options) =>
    execa("docker", ["compose", "-p", name, ...files, ...profiles, ...args], {
      cwd: repoRoot,
      env,
      ...options,
    });
  // Ctrl-C stops whatever compose command is running before `down` starts.
  const run = (args: string[], options: Options = {}) =>
    compose([], args, { cancelSignal: interrupted.signal, ...options });
  const runWithJobs = (args: string[], options: Options = {}) =>
    compose(["--profile", "jobs"], args, { cancelSignal: interrupted.signal, ...options });

  let downed = false;
  const down = async () => {
    if (downed) return;
    downed = true;
    log(`docker compose -p ${name} down -v`);
    await compose(["--profile", "jobs"], ["down", "-v", "--remove-orphans", "--timeout", "10"], {});
  };
  onCleanup(down);

  return {
    name,
    run,
    runWithJobs,
    down,
    async webappUrl() {
      const { stdout } = await run(["port", entry.service, String(entry.port)]);
      const port = String(stdout).trim().split("\n")[0]?.split(":").pop();
      if (!port) throw new Error(`no host port for ${entry.service}:${entry.port} (got "${String(stdout)}")`);
      return `http://127.0.0.1:${port}`;
    },
    async psql(sql: string) {
      const { stdout } = await run(
        ["exec", "-T", "db", "psql", "-U", "stockroom", "-d", "stockroom", "-v", "ON_ERROR_STOP=1", "-X", "-q", "-At"],
        { input: sql },
      );
      return String(stdout).trim();
    },
    async containerId(service: string) {
      const { stdout } = await run(["ps", "--all", "--quiet", service]);
      return String(stdout).trim().split("\n")[0] ?? "";
    },
  };
}

/** `docker inspect` of one container, the fields the scripts read. */
export interface ContainerState {
  Name: string;
  State: {
    Status: string;
    ExitCode: number;
    StartedAt: string;
    FinishedAt: string;
    Health?: { Status: string; Log: Array<{ Start: string; End: string; ExitCode: number }> | null };
  };
}

export async function inspectContainer(id: string): Promise<ContainerState> {
  const { stdout } = await execa("docker", ["inspect", id]);
  return (JSON.parse(stdout) as ContainerState[])[0]!;
}
