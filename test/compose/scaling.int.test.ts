import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answeringReplica, loadPage } from "../support/page.js";
import type { Stack } from "../support/stack.js";
import { compose, removeStack, startStack } from "../support/stack.js";

// `docker compose up --scale api=3`: three api containers answer to the one
// name `api`, and the webapp's page says which one answered. The webapp looks
// `api` up at most once a second and takes the addresses Docker's DNS gives
// in turn, each on its own kept-alive connection, so the page loads spread
// over the replicas.

/** The hostnames of the api's running replicas: Docker sets each to its container id's first 12 characters. */
async function apiReplicas(stack: Stack): Promise<string[]> {
  const { stdout } = await compose(stack, ["ps", "--quiet", "api"]);
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((id) => id.slice(0, 12))
    .sort();
}

async function loadPages(stack: Stack, count: number): Promise<string[]> {
  const replicas: string[] = [];
  for (let i = 0; i < count; i++) {
    const page = await loadPage(stack.webappUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain("The API says: Hello from the API container!");
    replicas.push(answeringReplica(page.html));
  }
  return replicas;
}

describe("scaling the api with docker compose up --scale", () => {
  let stack: Stack | undefined;

  beforeAll(async () => {
    stack = await startStack({ label: "scaling" });
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it("spreads 30 page loads over all 3 api replicas, found by the name api, each taking its turn", async () => {
    await compose(stack!, ["up", "--detach", "--wait", "--no-build", "--scale", "api=3", "api"]);
    const replicas = await apiReplicas(stack!);
    expect(replicas).toHaveLength(3);

    const answered = await loadPages(stack!, 30);
    const counts = Object.fromEntries(replicas.map((name) => [name, answered.filter((a) => a === name).length]));
    const summary = `page loads per replica: ${JSON.stringify(counts)}; answered by ${[...new Set(answered)].join(", ")}`;
    expect(
      answered.every((name) => replicas.includes(name)),
      summary,
    ).toBe(true);
    // In turn, not by chance: about 10 each (a new lookup may reorder the turns).
    for (const name of replicas) expect(counts[name], summary).toBeGreaterThanOrEqual(5);
  });

  it("keeps serving the page after scaling back to one replica, from that replica", async () => {
    await compose(stack!, ["up", "--detach", "--wait", "--no-build", "--scale", "api=1", "api"]);
    const replicas = await apiReplicas(stack!);
    expect(replicas).toHaveLength(1);

    const answered = await loadPages(stack!, 5);
    expect(new Set(answered)).toEqual(new Set(replicas));
  });
});
