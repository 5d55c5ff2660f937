import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { loadPage, totalVisitsOn } from "../support/page.js";
import type { Stack } from "../support/stack.js";
import { inspectService, removeStack, startStack, uniqueProject } from "../support/stack.js";

async function visitTwice(stack: Stack): Promise<number> {
  await loadPage(stack.webappUrl);
  return totalVisitsOn((await loadPage(stack.webappUrl)).html);
}

const visitsNow = async (stack: Stack) =>
  ((await (await fetch(new URL("/api/visits", stack.webappUrl))).json()) as { total: number }).total;

/** `down` without -v: containers and network go, volumes stay. */
const downKeepingVolumes = (stack: Stack) => stack.environment.down({ removeVolumes: false });

describe("visits with the named volume db-data (docker-compose.yml)", () => {
  const project = uniqueProject("named-volume");
  let stack: Stack | undefined;

  afterAll(async () => {
    await removeStack(stack);
  });

  it("survive docker compose down followed by up", async () => {
    stack = await startStack({ label: "named-volume", project });
    const before = await visitTwice(stack);
    expect(before).toBeGreaterThanOrEqual(2);

    await downKeepingVolumes(stack);
    stack = await startStack({ label: "named-volume", project });
    expect(await visitsNow(stack)).toBe(before);
  });

  it("are deleted by docker compose down -v", async () => {
    await removeStack(stack);
    stack = await startStack({ label: "named-volume", project });
    expect(await visitsNow(stack)).toBe(0);
  });
});

describe("visits without it (docker-compose.ephemeral.yml): the seed's experiment", () => {
  const project = uniqueProject("ephemeral");
  const files = ["docker-compose.yml", "docker-compose.ephemeral.yml"];
  let stack: Stack | undefined;
  const orphanedVolumes: string[] = [];

  afterAll(async () => {
    await removeStack(stack);
    if (orphanedVolumes.length) await execa("docker", ["volume", "rm", ...orphanedVolumes], { reject: false });
  });

  it("are gone after down and up, leaving the old data in an anonymous volume", async () => {
    stack = await startStack({ label: "ephemeral", project, files });
    const db = await inspectService(stack, "db");
    const dataMount = db.Mounts.find((m) => m.Destination === "/var/lib/postgresql/data");
    expect(dataMount?.Type).toBe("volume");
    expect(dataMount?.Name).toMatch(/^[0-9a-f]{64}$/); // anonymous: a hash, not db-data
    orphanedVolumes.push(dataMount!.Name!);
    expect(await visitTwice(stack)).toBeGreaterThanOrEqual(2);

    await downKeepingVolumes(stack);
    stack = await startStack({ label: "ephemeral", project, files });
    expect(await visitsNow(stack)).toBe(0);

    // The old anonymous volume still exists; nothing will ever use it again.
    const { exitCode } = await execa("docker", ["volume", "inspect", dataMount!.Name!], { reject: false });
    expect(exitCode).toBe(0);
  });
});
