import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainerInspect } from "../support/containers.js";
import { inspectContainer } from "../support/containers.js";
import { loadPage } from "../support/page.js";
import type { Stack } from "../support/stack.js";
import { compose, eventually, inspectService, removeStack, startProxyStack } from "../support/stack.js";

// docker-compose.proxy.yml: nginx owns the host port, finds the webapp's
// replicas through Docker's DNS while it runs, limits what a client may take,
// runs with no privilege at all, and tells the webapp who the client is; its
// containers' logs and memory are bounded like every other service's.
// One stack for the whole file; the scaling test runs last and leaves 3 replicas.

/** How long nginx waits for a client's headers or body here (10s by default; short for the test). */
const CLIENT_TIMEOUT_S = 2;
/**
 * What the memory limits of everything may add up to: half of the 4 GiB a
 * Docker Desktop VM gets on an 8 GB laptop (half the machine's, its default),
 * the other half left for the VM itself, the engine and image builds.
 */
const MEMORY_BUDGET_MIB = 2048;

/** Which webapp replicas answered `count` page loads (X-Served-By), with the page's own word for it. */
async function servedBy(stack: Stack, count: number): Promise<Set<string>> {
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    const res = await fetch(stack.webappUrl, { signal: AbortSignal.timeout(10_000) });
    const html = await res.text();
    expect(res.status).toBe(200);
    const name = res.headers.get("x-served-by") ?? "";
    expect(html).toContain(`Served by webapp container <code>${name}</code>`);
    names.add(name);
  }
  return names;
}

/** The hostnames of the webapp's running replicas: each is its container id's first 12 characters. */
async function webappReplicas(stack: Stack): Promise<Set<string>> {
  const { stdout } = await compose(stack, ["ps", "--quiet", "webapp"]);
  return new Set(
    stdout
      .split("\n")
      .filter(Boolean)
      .map((id) => id.slice(0, 12)),
  );
}

/** Opens a TCP connection, writes `data`, and resolves with how long the server took to close it. */
function timeUntilClosed(url: string, data: string): Promise<{ ms: number; answer: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = "";
    const socket = connect(Number(port), hostname, () => socket.write(data));
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve({ ms: Date.now() - started, answer }));
    setTimeout(() => socket.destroy(new Error("still open after 30 s")), 30_000).unref();
  });
}

/** The healthcheck Compose runs in the proxy container, run once now; resolves to its exit code. */
async function proxyHealthcheck(stack: Stack): Promise<number> {
  const info = (await inspectService(stack, "proxy")) as unknown as { Config: { Healthcheck: { Test: string[] } } };
  const [kind, ...command] = info.Config.Healthcheck.Test;
  expect(kind).toBe("CMD");
  const result = await compose(stack, ["exec", "-T", "proxy", ...command]).catch((err: { exitCode: number }) => err);
  return result.exitCode ?? 0;
}

/** The first container of a service's address on its (only or first) network. */
async function addressOf(stack: Stack, service: string): Promise<string> {
  const info = (await inspectService(stack, service)) as unknown as {
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
  };
  const networks = Object.entries(info.NetworkSettings.Networks);
  // The api is on frontend only; the proxy on edge only.
  return networks[0]![1].IPAddress;
}

interface RequestLine {
  req: { remoteAddress: string; proxyAddress?: string };
}

/** The webapp's request log line (any replica's) that contains `marker`, once it is written. */
function requestLogged(stack: Stack, marker: string): Promise<RequestLine> {
  return eventually(async () => {
    const { stdout } = await compose(stack, ["logs", "--no-log-prefix", "webapp"]);
    const text = stdout.split("\n").find((line) => line.includes(marker));
    expect(text, `a webapp log line with ${marker}`).toBeDefined();
    return JSON.parse(text!.slice(text!.indexOf("{"))) as RequestLine;
  }, 10_000);
}

describe("the front door: nginx before three webapp replicas", () => {
  let stack: Stack | undefined;

  beforeAll(async () => {
    stack = await startProxyStack("front-door", { PROXY_CLIENT_TIMEOUT: `${CLIENT_TIMEOUT_S}s` });
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it("publishes only the proxy's port, on loopback, and none of the webapp's", async () => {
    const proxy = await inspectService(stack!, "proxy");
    expect(Object.keys(proxy.HostConfig.PortBindings ?? {})).toEqual(["8080/tcp"]);
    expect(proxy.NetworkSettings.Ports?.["8080/tcp"]?.[0]?.HostIp).toBe("127.0.0.1");
    const webapp = await inspectService(stack!, "webapp");
    expect(webapp.HostConfig.PortBindings ?? {}).toEqual({});
  });

  it("spreads 30 page loads over all 3 webapp replicas, each named in X-Served-By and on the page", async () => {
    const replicas = await webappReplicas(stack!);
    expect(replicas.size).toBe(3);

    const answered = await servedBy(stack!, 30);

    expect([...answered].sort()).toEqual([...replicas].sort());
  });

  it("runs nginx, master and workers, as uid 101, read-only, with no capabilities and no way to gain any", async () => {
    const proxy = (await inspectService(stack!, "proxy")) as unknown as {
      Id: string;
      Config: { User: string };
      HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[]; CapAdd: string[] | null; SecurityOpt: string[] };
    };
    expect(proxy.Config.User).toBe("101:101");
    expect(proxy.HostConfig.ReadonlyRootfs).toBe(true);
    expect(proxy.HostConfig.CapDrop).toEqual(["ALL"]);
    expect(proxy.HostConfig.CapAdd ?? []).toEqual([]);
    expect(proxy.HostConfig.SecurityOpt).toContain("no-new-privileges:true");

    // Every process in the container, as the kernel sees it: uid 101, no capability in effect.
    const { stdout } = await compose(stack!, [
      "exec",
      "-T",
      "proxy",
      "sh",
      "-c",
      'for s in /proc/[0-9]*/status; do grep -q "^Name:.nginx" "$s" && grep -E "^(Uid|CapEff):" "$s"; done; true',
    ]);
    const uids = [...stdout.matchAll(/^Uid:\s+(\d+)\s+(\d+)/gm)].map((m) => `${m[1]}/${m[2]}`);
    const caps = [...stdout.matchAll(/^CapEff:\s+(\w+)/gm)].map((m) => m[1]);
    expect(uids.length, "a master and at least one worker").toBeGreaterThanOrEqual(2);
    expect(new Set(uids)).toEqual(new Set(["101/101"]));
    expect(new Set(caps)).toEqual(new Set(["0000000000000000"]));

    const write = await compose(stack!, ["exec", "-T", "proxy", "touch", "/etc/nginx/written"]).catch((e) => e);
    expect(write.stderr).toMatch(/Read-only file system/);
  });

  it(`rotates every container's logs and limits its memory; with the profiles and Prometheus they fit in ${MEMORY_BUDGET_MIB} MiB`, async () => {
    const ids = (await compose(stack!, ["ps", "--all", "--quiet"])).stdout.split("\n").filter(Boolean);
    const containers = await Promise.all(ids.map(inspectContainer));
    const rotated = { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } };
    const service = (c: ContainerInspect) => c.Name.replace(`/${stack!.project}-`, "");
    expect(containers.map(service).sort()).toEqual(
      ["api-1", "api-2", "api-3", "db-1", "migrate-1", "proxy-1", "webapp-1", "webapp-2", "webapp-3"].sort(),
    );
    for (const c of containers) {
      expect(c.HostConfig.LogConfig, service(c)).toEqual(rotated);
      expect(c.HostConfig.Memory, service(c)).toBeGreaterThan(0);
    }

    // The services this stack leaves out, as Compose would start them: behind their profiles (Adminer, the
    // restock job), and Prometheus (docker-compose.observe.yml, lesson 18).
    const observed = { ...stack!, files: [...stack!.files, "docker-compose.observe.yml"] };
    const { stdout } = await compose(observed, ["--profile", "*", "config", "--format", "json"]);
    const { services } = JSON.parse(stdout) as {
      services: Record<string, { profiles?: string[]; deploy?: { resources?: { limits?: { memory?: string } } } }>;
    };
    const profiled = Object.entries(services).filter(([name, s]) => s.profiles?.length || name === "prometheus");
    expect(profiled.map(([name]) => name).sort()).toEqual(["adminer", "prometheus", "restock"]);

    const mib = (bytes: number) => bytes / 2 ** 20;
    const running = containers.reduce((sum, c) => sum + mib(c.HostConfig.Memory), 0);
    const behindProfiles = profiled.reduce((sum, [, s]) => sum + mib(Number(s.deploy?.resources?.limits?.memory)), 0);
    const total = running + behindProfiles;
    console.info(
      `memory limits: ${running} MiB for the ${containers.length} containers of the front-door stack, ` +
        `${behindProfiles} MiB behind profiles and for Prometheus: ${total} MiB`,
    );
    expect(behindProfiles).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(MEMORY_BUDGET_MIB);
  });

  it(`closes a connection whose headers do not arrive within ${CLIENT_TIMEOUT_S} s`, async () => {
    // Half a request, then nothing: a slow (or malicious) client holding a connection.
    const { ms } = await timeUntilClosed(stack!.webappUrl, "GET / HTTP/1.1\r\nHost: localhost\r\n");

    expect(ms).toBeGreaterThanOrEqual(CLIENT_TIMEOUT_S * 1000 - 200);
    expect(ms).toBeLessThan(CLIENT_TIMEOUT_S * 1000 + 8_000);
  });

  it(`closes a connection whose body stops arriving, after ${CLIENT_TIMEOUT_S} s, before any webapp sees it`, async () => {
    const head = "POST /slow-body HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nonly part of it";
    const { ms } = await timeUntilClosed(stack!.webappUrl, head);

    const { stdout: accessLog } = await compose(stack!, ["logs", "--no-log-prefix", "proxy"]);
    expect(accessLog).toMatch(/"POST \/slow-body HTTP\/1\.1" 408 0 upstream=- /);
    expect(ms).toBeGreaterThanOrEqual(CLIENT_TIMEOUT_S * 1000 - 200);
    expect(ms).toBeLessThan(CLIENT_TIMEOUT_S * 1000 + 8_000);
  });

  it("refuses a body over 64 KiB with 413 before it reaches a webapp", async () => {
    const res = await fetch(stack!.webappUrl, { method: "POST", body: "x".repeat(65 * 1024) });

    expect(res.status).toBe(413);
    expect(res.headers.get("x-served-by")).toBeNull();
  });

  it("has the webapp log the address nginx saw, not one the client wrote into X-Forwarded-For", async () => {
    const res = await fetch(stack!.webappUrl, { headers: { "X-Forwarded-For": "6.6.6.6" } });
    expect(res.status).toBe(200);

    const { req } = await requestLogged(stack!, `"x-visit-id":"${res.headers.get("x-visit-id")}"`);

    // nginx replaced the forged header with the address it saw; the webapp
    // logs that one, and names the proxy it came through.
    const proxyIp = await addressOf(stack!, "proxy");
    expect(req.proxyAddress).toBe(proxyIp);
    expect(req.remoteAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect([proxyIp, "6.6.6.6"]).not.toContain(req.remoteAddress);
    const { stdout: accessLog } = await compose(stack!, ["logs", "--no-log-prefix", "proxy"]);
    expect(accessLog).toContain(`${req.remoteAddress} "GET / HTTP/1.1" 200`);
  });

  it("has the webapp believe X-Forwarded-For from the proxy's network only: the api's is ignored", async () => {
    // The api shares a network with the webapp (frontend), not the proxy's.
    const ask = `fetch("http://webapp:5000/api/visits?from=api", { headers: { "X-Forwarded-For": "6.6.6.6" } })
      .then((r) => process.exit(r.ok ? 0 : 1))`;
    await compose(stack!, ["exec", "-T", "--index", "1", "api", "node", "-e", ask]);

    const { req } = await requestLogged(stack!, `"url":"/api/visits?from=api"`);

    expect(req.remoteAddress).toBe(await addressOf(stack!, "api"));
    expect(req.proxyAddress).toBeUndefined();
  });

  it("picks up --scale webapp=5, then 0 (and its healthcheck fails), then 3, without restarting nginx", async () => {
    const before = await inspectService(stack!, "proxy");
    const scale = (n: number) =>
      compose(stack!, ["up", "--detach", "--wait", "--no-build", "--no-recreate", "--scale", `webapp=${n}`, "webapp"]);

    await scale(5);
    const five = await webappReplicas(stack!);
    expect(five.size).toBe(5);
    // Within seconds (nginx asks the DNS again every 2 s), all 5 answer.
    await eventually(async () => expect([...(await servedBy(stack!, 25))].sort()).toEqual([...five].sort()), 30_000);

    await compose(stack!, ["up", "--detach", "--no-build", "--no-recreate", "--scale", "webapp=0", "webapp"]);
    await eventually(async () => expect((await loadPage(stack!.webappUrl)).status).toBe(502), 15_000);
    expect(await proxyHealthcheck(stack!)).not.toBe(0);

    await scale(3);
    const three = await webappReplicas(stack!);
    expect(three.size).toBe(3);
    await eventually(async () => expect([...(await servedBy(stack!, 15))].sort()).toEqual([...three].sort()), 30_000);
    expect(await proxyHealthcheck(stack!)).toBe(0);

    const after = await inspectService(stack!, "proxy");
    expect(after.State.StartedAt).toBe(before.State.StartedAt);
    expect(after.RestartCount).toBe(0);
  });
});
