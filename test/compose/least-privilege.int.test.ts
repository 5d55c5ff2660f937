import { readFile } from "node:fs/promises";
import { join } from "node:path";
import autocannon from "autocannon";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectContainer, memoryInUse } from "../support/containers.js";
import { loadPage } from "../support/page.js";
import { repoRoot } from "../support/repo.js";
import type { Stack } from "../support/stack.js";
import { compose, inspectService, removeStack, startStack } from "../support/stack.js";

const NODE_SERVICES = ["webapp", "api"] as const;
/** Every service of docker-compose.yml: the one-shots and the profiles' (restock, adminer) too. */
const ALL_SERVICES = ["webapp", "api", "db", "migrate", "restock", "adminer"] as const;
/** What every service's logs may take: json-file, at most 3 files of 10 MB (x-logging). */
const ROTATED_LOGS = { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } };
/** bench:throughput's heavier load on the page: autocannon with 50 connections, here for 5 s. */
const LOAD = { connections: 50, duration: 5 };

/** Runs a small Node script inside a service's container; resolves to its exit code. */
async function nodeIn(stack: Stack, service: string, script: string): Promise<number> {
  const result = await compose(stack, ["exec", "-T", service, "node", "-e", script]).catch(
    (err: { exitCode: number }) => err,
  );
  return result.exitCode ?? 0;
}

const PROFILES = ["--profile", "jobs", "--profile", "tools"];

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const connectScript = (host: string, port: number) => `
  const socket = require("node:net").connect(${port}, ${JSON.stringify(host)});
  socket.on("connect", () => process.exit(0));
  socket.on("error", () => process.exit(1));
  setTimeout(() => process.exit(1), 3000);`;

// Least privilege covers what a container may use too: a memory limit on
// every service, Node's heap sized from it, and logs that rotate instead of
// filling the engine's disk.
describe("least privilege in the composed stack", () => {
  let stack: Stack | undefined;
  let images: Record<string, string> = {};
  let devPassword = "";

  beforeAll(async () => {
    // ADMINER_HOST_PORT=0: Adminer is created below, and never on a fixed port.
    stack = await startStack({ label: "least-privilege", env: { ADMINER_HOST_PORT: "0" } });
    await compose(stack, ["--profile", "jobs", "build", "restock"]);
    // The profiles' services, created but not started: what docker inspect says of them is what `run` or `up` gets.
    await compose(stack, [...PROFILES, "create", "--no-build", "restock", "adminer"]);
    const config = JSON.parse((await compose(stack, ["--profile", "jobs", "config", "--format", "json"])).stdout);
    images = Object.fromEntries(
      ["webapp", "api", "restock"].map((service) => [service, config.services[service].image as string]),
    );
    devPassword = (await readFile(join(repoRoot, "config/dev-only-db-password.txt"), "utf8")).trim();
  });

  afterAll(async () => {
    try {
      // The profiles' containers first: testcontainers' `down` reads the file without them.
      if (stack) await compose(stack, [...PROFILES, "rm", "--force", "restock", "adminer"]);
    } finally {
      await removeStack(stack);
    }
  });

  it.each(NODE_SERVICES)("runs %s read-only, with no capabilities and no way to gain privileges", async (service) => {
    const { HostConfig } = (await inspectService(stack!, service)) as unknown as {
      HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[]; SecurityOpt: string[] };
    };
    expect(HostConfig.ReadonlyRootfs).toBe(true);
    expect(HostConfig.CapDrop).toEqual(["ALL"]);
    expect(HostConfig.SecurityOpt).toContain("no-new-privileges:true");

    const write = await compose(stack!, ["exec", "-T", service, "touch", "/app/written-at-run-time"]).catch((e) => e);
    expect(write.exitCode).not.toBe(0);
    expect(write.stderr).toMatch(/Read-only file system/);
  });

  it("lets the api reach neither db's name nor its address: it is not on the database's network", async () => {
    const db = await inspectService(stack!, "db");
    const dbAddress = Object.values(
      (db as unknown as { NetworkSettings: { Networks: Record<string, { IPAddress: string }> } }).NetworkSettings
        .Networks,
    )[0]!.IPAddress;

    const resolve = await compose(stack!, ["exec", "-T", "api", "getent", "hosts", "db"]).catch((e) => e);
    expect(resolve.exitCode).not.toBe(0);
    expect(await nodeIn(stack!, "api", connectScript(dbAddress, 5432))).toBe(1);
    // The same connection from the webapp works: the block is the network, not Postgres.
    expect(await nodeIn(stack!, "webapp", connectScript(dbAddress, 5432))).toBe(0);
    expect(await nodeIn(stack!, "webapp", connectScript("api", 5001))).toBe(0);
  });

  it("gives the database password to db and webapp as a secret file, never as an environment variable", async () => {
    expect((await loadPage(stack!.webappUrl)).status).toBe(200); // the webapp did log in with it
    for (const service of ["webapp", "db", "migrate", "api"]) {
      const { Config } = await inspectService(stack!, service);
      expect(Config.Env.join("\n"), service).not.toContain(devPassword);
      expect(
        Config.Env.some((v) => /^(PGPASSWORD|POSTGRES_PASSWORD)=/.test(v)),
        service,
      ).toBe(false);
    }
    const { stdout } = await compose(stack!, ["exec", "-T", "webapp", "cat", "/run/secrets/db_password"]);
    expect(stdout.trim()).toBe(devPassword);
  });

  it.each(["webapp", "api", "restock"])("keeps secrets out of every layer of the %s image", async (service) => {
    const image = images[service]!;
    const history = (await execa("docker", ["history", "--no-trunc", "--format", "{{.CreatedBy}}", image])).stdout;
    const env = (await execa("docker", ["image", "inspect", "--format", "{{json .Config.Env}}", image])).stdout;
    expect(history).not.toContain(devPassword);
    expect(env).not.toContain(devPassword);
    expect(env).not.toMatch(/PASSWORD/);
  });

  it.each(["webapp", "api", "restock"])("ships no dev dependencies or build tools in the %s image", async (service) => {
    const image = images[service]!;
    const { stdout } = await execa("docker", [
      "run",
      "--rm",
      "--network",
      "none",
      "--label",
      "stockroom-int-test=least-privilege",
      "--entrypoint",
      "sh",
      image,
      "-c",
      "ls /app/node_modules /app/node_modules/@types 2>/dev/null; for tool in gcc g++ make python3 cc; do command -v $tool; done; true",
    ]);
    expect(stdout.split(/\s+/), "the listing worked: a production dependency is there").toContain("zod");
    for (const devOnly of [
      "typescript",
      "vitest",
      "turbo",
      "supertest",
      "@types",
      "testcontainers",
      "playwright-core",
    ]) {
      expect(stdout.split(/\s+/), `${devOnly} in ${image}`).not.toContain(devOnly);
    }
    expect(stdout).not.toMatch(/\/(gcc|g\+\+|make|python3|cc)$/m);
  });

  it.each(ALL_SERVICES)("rotates %s's logs (3 files of 10 MB at most) and gives it a memory limit", async (service) => {
    const { HostConfig } = await inspectService(stack!, service);
    expect(HostConfig.LogConfig).toEqual(ROTATED_LOGS);
    expect(HostConfig.Memory).toBeGreaterThan(0);
  });

  it.each(NODE_SERVICES)(
    "sizes Node's heap in %s from the container's memory limit: about half of it",
    async (service) => {
      const { HostConfig } = await inspectService(stack!, service);
      const script = "v8.getHeapStatistics().heap_size_limit";
      const heapLimit = Number((await compose(stack!, ["exec", "-T", service, "node", "-p", script])).stdout);
      console.info(`${service}: heap limit ${mib(heapLimit)} in a container limited to ${mib(HostConfig.Memory)}`);
      expect(heapLimit).toBeLessThan(HostConfig.Memory);
      // The rest is for what Node holds outside its heap: its own code, buffers, sockets (35 MiB at rest).
      expect(heapLimit).toBeLessThanOrEqual(0.6 * HostConfig.Memory);
    },
  );

  it(`keeps the webapp within its memory limit under ${LOAD.connections} connections for ${LOAD.duration} s: no OOM kill, no restart`, async () => {
    const { Id, HostConfig } = await inspectService(stack!, "webapp");
    // A docker stats sample every half second (each takes a second or two to answer).
    const sampling: Promise<number>[] = [];
    const timer = setInterval(() => sampling.push(memoryInUse(Id)), 500);
    const result = await autocannon({ url: stack!.webappUrl, ...LOAD });
    clearInterval(timer);
    const samples = await Promise.all(sampling);
    const after = await inspectContainer(Id);

    const peak = Math.max(...samples);
    console.info(
      `${result.requests.total} page loads (${result.non2xx} not 2xx, ${result.errors} errors); ` +
        `webapp memory peaked at ${mib(peak)} of ${mib(HostConfig.Memory)} over ${samples.length} docker stats samples`,
    );
    expect(result.requests.total).toBeGreaterThan(LOAD.duration * 50);
    expect({ non2xx: result.non2xx, errors: result.errors }).toEqual({ non2xx: 0, errors: 0 });
    expect(samples.length).toBeGreaterThanOrEqual(LOAD.duration);
    expect(peak).toBeLessThan(HostConfig.Memory);
    // An OOM kill the samples missed still shows: the restart policy brings the container back (OOMKilled
    // then describes the new run), so the restart count says it. A 56 MB limit was killed this way within 5 s.
    expect({ oomKilled: after.State.OOMKilled, restarts: after.RestartCount, running: after.State.Running }).toEqual({
      oomKilled: false,
      restarts: 0,
      running: true,
    });
  });
});
