import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPage, totalVisitsOn } from "../support/page.js";
import type { Stack } from "../support/stack.js";
import { compose, inspectService, removeStack, startStack } from "../support/stack.js";

/** Opens a TCP connection and closes it: "connected", or why not (ECONNREFUSED, or "timed out" behind a firewall that drops). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    const done = (outcome: string) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.once("connect", () => done("connected"));
    socket.once("timeout", () => done("timed out"));
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

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

  it("publishes the webapp on 127.0.0.1 only: this machine's network addresses do not answer", async () => {
    const webapp = await inspectService(stack!, "webapp");
    const bindings = webapp.NetworkSettings.Ports?.["5000/tcp"] ?? [];
    expect(bindings.map((binding) => binding.HostIp)).toEqual(["127.0.0.1"]);
    const port = Number(bindings[0]?.HostPort);

    expect((await loadPage(`http://127.0.0.1:${port}`)).status).toBe(200);
    // The address others on the network would use: the first non-loopback IPv4 address of this machine.
    const lanAddress = Object.values(networkInterfaces())
      .flat()
      .find((address) => address?.family === "IPv4" && !address.internal)?.address;
    expect(lanAddress, "this machine has no non-loopback IPv4 address to try").toBeDefined();
    expect(["ECONNREFUSED", "timed out"]).toContain(await tryConnect(lanAddress!, port));
  });
});
