// A Compose project named `stockroom-bench-<label>-<random>` (never the learner's `stockroom`) on a free host port
// (WEBAPP_HOST_PORT=0), whose `down -v` runs however the script ends. `overrides`: Compose files over the base one;
// `env`: more variables for Compose; `entry`: the service and container port that take the page's requests.
import { randomBytes } from "node:crypto";
import type { Options } from "execa";
import { execa } from "execa";
import { interrupted, log, onCleanup, repoRoot } from "../lib/script.ts";

const PSQL = ["psql", "-U", "stockroom", "-d", "stockroom", "-v", "ON_ERROR_STOP=1", "-XqAt"];
export type ComposeProject = ReturnType<typeof composeProject>;

export function composeProject(
  label: string,
  { overrides = [] as string[], env = {}, entry = ["webapp", "5000"] } = {},
) {
  const name = `stockroom-bench-${label}-${randomBytes(4).toString("hex")}`;
  const compose = ["compose", "-p", name, ...["docker-compose.yml", ...overrides].flatMap((file) => ["-f", file])];
  const options = { cwd: repoRoot, env: { WEBAPP_HOST_PORT: "0", ...env } };
  /** `docker compose -p <name> <args>`; Ctrl-C stops it before `down` starts. */
  const run = (args: string[], more: Options = {}): ReturnType<typeof execa> =>
    execa("docker", [...compose, ...args], { ...options, cancelSignal: interrupted.signal, ...more });
  const firstLine = async (args: string[]) =>
    String((await run(args)).stdout)
      .split("\n")[0]
      ?.trim() ?? "";
  let downed = false;
  /** `down -v`, with `--profile jobs` for the restock job: containers, networks and the volume go. Idempotent. */
  const down = async () => {
    if (downed) return;
    downed = true;
    log(`docker compose -p ${name} down -v`);
    await execa(
      "docker",
      [...compose, "--profile", "jobs", "down", "-v", "--remove-orphans", "--timeout", "10"],
      options,
    );
  };
  onCleanup(down);
  return {
    name,
    run,
    down,
    async webappUrl() {
      const port = (await firstLine(["port", ...entry])).split(":").pop();
      if (!port) throw new Error(`no host port for ${entry.join(":")}`);
      return `http://127.0.0.1:${port}`;
    },
    psql: async (sql: string) => String((await run(["exec", "-T", "db", ...PSQL], { input: sql })).stdout).trim(),
    containerId: (service: string) => firstLine(["ps", "--all", "--quiet", service]),
  };
}

export async function inspectContainer(id: string) {
  const { stdout } = await execa("docker", ["inspect", id]);
  return (JSON.parse(stdout) as Array<{ State: ContainerState }>)[0]!.State;
}

interface ContainerState {
  ExitCode: number;
  StartedAt: string;
  FinishedAt: string;
  Health?: { Log: Array<{ End: string; ExitCode: number }> | null };
}
