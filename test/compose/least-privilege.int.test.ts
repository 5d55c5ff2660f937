import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPage } from "../support/page.js";
import { repoRoot } from "../support/repo.js";
import type { Stack } from "../support/stack.js";
import { compose, inspectService, removeStack, startStack } from "../support/stack.js";

const NODE_SERVICES = ["webapp", "api"] as const;

/** Runs a small Node script inside a service's container; resolves to its exit code. */
async function nodeIn(stack: Stack, service: string, script: string): Promise<number> {
  const result = await compose(stack, ["exec", "-T", service, "node", "-e", script]).catch(
    (err: { exitCode: number }) => err,
  );
  return result.exitCode ?? 0;
}

const connectScript = (host: string, port: number) => `
  const socket = require("node:net").connect(${port}, ${JSON.stringify(host)});
  socket.on("connect", () => process.exit(0));
  socket.on("error", () => process.exit(1));
  setTimeout(() => process.exit(1), 3000);`;

describe("least privilege in the composed stack", () => {
  let stack: Stack | undefined;
  let images: Record<string, string> = {};
  let devPassword = "";

  beforeAll(async () => {
    stack = await startStack({ label: "least-privilege" });
    await compose(stack, ["--profile", "jobs", "build", "restock"]);
    const config = JSON.parse((await compose(stack, ["--profile", "jobs", "config", "--format", "json"])).stdout);
    images = Object.fromEntries(
      ["webapp", "api", "restock"].map((service) => [service, config.services[service].image as string]),
    );
    devPassword = (await readFile(join(repoRoot, "config/dev-only-db-password.txt"), "utf8")).trim();
  });

  afterAll(async () => {
    await removeStack(stack);
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
});
