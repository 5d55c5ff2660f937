import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { answeringReplica, loadPage } from "../support/page.js";
import { repoRoot } from "../support/repo.js";
import { eventually, uniqueProject } from "../support/stack.js";

// The same stack on Swarm: docker-compose.yml plus docker-stack.yml, turned
// into a stack file by scripts/swarm-stack-file.ts, deployed with
// `docker stack deploy` to a single-node swarm. The test makes the swarm when
// the engine is not in one, and leaves it again at the end.
const STACK = uniqueProject("swarm");
const UPDATED_API_IMAGE = `stockroom-api:${STACK}`;
const docker = (args: string[], input?: string) =>
  execa("docker", args, { cwd: repoRoot, ...(input === undefined ? {} : { input }) });
const inStack = ["--filter", `label=com.docker.stack.namespace=${STACK}`];

/** Service name -> "running/desired" (jobs: "0/1 (1/1 completed)"), as `docker service ls` shows it. */
async function serviceReplicas(): Promise<Record<string, string>> {
  const { stdout } = await docker(["service", "ls", ...inStack, "--format", "{{.Name}}\t{{.Replicas}}"]);
  return Object.fromEntries(
    stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [name = "", replicas = ""] = line.split("\t");
        return [name.replace(`${STACK}_`, ""), replicas];
      }),
  );
}

describe("docker stack deploy to a single-node swarm", () => {
  let madeSwarm = false;
  let webappUrl = "";
  let deployOutput = "";

  beforeAll(async () => {
    const { stdout: state } = await docker(["info", "--format", "{{.Swarm.LocalNodeState}}"]);
    if (state.trim() !== "active") {
      await docker(["swarm", "init", "--advertise-addr", "127.0.0.1"]);
      madeSwarm = true;
    }
    // Swarm runs images, it does not build them.
    await docker(["compose", "build", "webapp", "api"]);
    const port = await freePort();
    webappUrl = `http://127.0.0.1:${port}`;
    const { stdout: stackFile } = await execa("node", ["scripts/swarm-stack-file.ts"], {
      cwd: repoRoot,
      env: { WEBAPP_HOST_PORT: String(port) },
    });
    const deployed = await execa(
      "docker",
      ["stack", "deploy", "--detach=false", "--resolve-image", "never", "-c", "-", STACK],
      { cwd: repoRoot, input: stackFile, all: true },
    );
    deployOutput = deployed.all;
  });

  afterAll(async () => {
    await docker(["stack", "rm", STACK]).catch(() => undefined);
    // `stack rm` returns before the containers and networks are gone.
    await eventually(
      async () => {
        const { stdout: containers } = await docker(["ps", "--all", "--quiet", ...inStack]);
        const { stdout: networks } = await docker(["network", "ls", "--quiet", ...inStack]);
        expect(containers + networks).toBe("");
      },
      60_000,
      500,
    );
    await docker(["volume", "rm", "--force", `${STACK}_db-data`]);
    await docker(["rmi", "--force", UPDATED_API_IMAGE]).catch(() => undefined);
    if (madeSwarm) {
      await docker(["swarm", "leave", "--force"]);
      // The bridge Swarm made for host-mode ports; only ours to remove if we made the swarm.
      await docker(["network", "rm", "docker_gwbridge"]).catch(() => undefined);
    }
  });

  it("converges: webapp, db and two api replicas run, and the migration job completed", async () => {
    expect(deployOutput).not.toMatch(/Ignoring (unsupported|deprecated) options: *\S/);
    expect(await serviceReplicas()).toEqual({
      api: "2/2",
      db: "1/1",
      migrate: "0/1 (1/1 completed)",
      webapp: "1/1",
    });
  });

  it("serves the page on the published host port, answered by both api replicas", async () => {
    const replicas = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const page = await loadPage(webappUrl);
      expect(page.status).toBe(200);
      expect(page.html).toContain("The API says: Hello from the API container!");
      replicas.add(answeringReplica(page.html));
    }
    expect(replicas.size, `answered by ${[...replicas].join(", ")}`).toBe(2);
  });

  it("keeps the database password a Swarm secret, never an environment variable", async () => {
    const { stdout: secrets } = await docker(["secret", "ls", ...inStack, "--format", "{{.Name}}"]);
    expect(secrets.trim()).toBe(`${STACK}_db_password`);
    const { stdout: env } = await docker([
      "service",
      "inspect",
      `${STACK}_db`,
      "--format",
      "{{json .Spec.TaskTemplate.ContainerSpec.Env}}",
    ]);
    expect(env).toContain("POSTGRES_PASSWORD_FILE=/run/secrets/db_password");
    expect(env).not.toMatch(/POSTGRES_PASSWORD=/);
  });

  it("rolls the api onto a new image one replica at a time while the page keeps answering", async () => {
    await docker(["tag", "stockroom-api:latest", UPDATED_API_IMAGE]);
    const statuses: number[] = [];
    let updating = true;
    const poller = (async () => {
      while (updating) {
        statuses.push((await loadPage(webappUrl)).status);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const updateState = async () =>
      (await docker(["service", "inspect", `${STACK}_api`, "--format", "{{.UpdateStatus.State}}"])).stdout.trim();
    try {
      await docker(["service", "update", "--detach=false", "--image", UPDATED_API_IMAGE, `${STACK}_api`]);
      // The command returns once the tasks run; the update counts as
      // completed after update_config.monitor has passed without a failure.
      await eventually(async () => expect(await updateState()).toBe("completed"), 60_000, 500);
    } finally {
      updating = false;
      await poller;
    }

    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const { stdout: images } = await docker([
      "service",
      "ps",
      `${STACK}_api`,
      "--filter",
      "desired-state=running",
      "--format",
      "{{.Image}}",
    ]);
    expect(images.trim().split("\n")).toEqual([UPDATED_API_IMAGE, UPDATED_API_IMAGE]);
  });
});
