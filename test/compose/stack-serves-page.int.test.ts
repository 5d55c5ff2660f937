import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPage, totalVisitsOn } from "../support/page.js";
import type { Stack } from "../support/stack.js";
import { compose, inspectService, removeStack, startStack } from "../support/stack.js";

describe("docker compose up --build", () => {
  let stack: Stack | undefined;

  beforeAll(async () => {
    stack = await startStack({ label: "page" });
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it("serves a page that shows the api's message, found by hostname", async () => {
    const page = await loadPage(stack!.webappUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain("The API says: Hello from the API container!");
  });

  it("records one visit in Postgres per page load", async () => {
    const before = totalVisitsOn((await loadPage(stack!.webappUrl)).html);
    const after = totalVisitsOn((await loadPage(stack!.webappUrl)).html);
    expect(after).toBe(before + 1);
  });

  it("lists the visits as JSON without recording one", async () => {
    const first = await (await fetch(new URL("/api/visits", stack!.webappUrl))).json();
    const second = await (await fetch(new URL("/api/visits", stack!.webappUrl))).json();
    expect(second.total).toBe(first.total);
    expect(second.visits.length).toBeGreaterThan(0);
    expect(second.visits[0]).toEqual({ id: expect.any(Number), visitedAt: expect.any(String) });
  });

  it("configures the webapp with service names, not IP addresses", async () => {
    const { stdout } = await compose(stack!, ["config", "--format", "json"]);
    const environment = JSON.parse(stdout).services.webapp.environment;
    expect(environment.API_URL).toBe("http://api:5001");
    expect(environment.PGHOST).toBe("db");
    expect(JSON.stringify(environment)).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b/);
  });

  it("resolves api and db by name inside the webapp container, through Docker's DNS", async () => {
    for (const service of ["api", "db"]) {
      const { stdout } = await compose(stack!, ["exec", "-T", "webapp", "getent", "hosts", service]);
      expect(stdout).toMatch(new RegExp(`^\\d{1,3}(\\.\\d{1,3}){3}\\s+${service}\\b`));
    }
  });

  it("publishes only the webapp on the host: api and db have no host port", async () => {
    const hostPorts = async (service: string) => {
      const container = await inspectService(stack!, service);
      return Object.values(container.NetworkSettings.Ports ?? {}).flatMap((bindings) => bindings ?? []);
    };
    expect(await hostPorts("api")).toEqual([]);
    expect(await hostPorts("db")).toEqual([]);
    expect(await hostPorts("webapp")).not.toEqual([]);
  });
});
