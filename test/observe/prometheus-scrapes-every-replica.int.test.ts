import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainerInspect } from "../support/containers.js";
import { inspectContainer } from "../support/containers.js";
import type { Stack } from "../support/stack.js";
import { compose, eventually, inspectService, removeStack, startProxyStack } from "../support/stack.js";

// docker-compose.observe.yml over the front door (lesson 18): Prometheus
// finds every replica of the webapp and the api through Compose's DNS and
// scrapes each on its metrics port, which nothing publishes. One stack for
// the file, with 3 replicas of each; the tests run in order, the kill last.

/** config/prometheus/compose.yml's scrape_interval. */
const SCRAPE_INTERVAL_MS = 5_000;
const METRICS_PORT = 9464;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query through Prometheus's HTTP API, as lesson 18's curl asks it. */
async function query(prometheus: string, promql: string): Promise<Sample[]> {
  const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { status: string; data: { result: Sample[] } };
  expect(body.status, promql).toBe("success");
  return body.data.result;
}

/** A query whose answer is one number (a sum or a count); undefined when it has no series at all. */
async function scalar(prometheus: string, promql: string): Promise<number | undefined> {
  const [sample] = await query(prometheus, promql);
  return sample === undefined ? undefined : Number(sample.value[1]);
}

/** The running replicas' addresses on the network Prometheus shares with them (frontend), as scrape targets. */
async function replicaTargets(stack: Stack, service: string): Promise<string[]> {
  const { stdout } = await compose(stack, ["ps", "--quiet", service]);
  const containers = await Promise.all(stdout.split("\n").filter(Boolean).map(inspectContainer));
  const frontend = `${stack.project}_frontend`;
  return containers.map((c) => `${networkAddress(c, frontend)}:${METRICS_PORT}`).sort();
}

function networkAddress(container: ContainerInspect, network: string): string {
  const networks = (container as unknown as { NetworkSettings: { Networks: Record<string, { IPAddress: string }> } })
    .NetworkSettings.Networks;
  const address = networks[network]?.IPAddress;
  if (!address) throw new Error(`${container.Name} is not on ${network}`);
  return address;
}

/** The targets of a job whose last scrape worked. */
async function upTargets(prometheus: string, job: string): Promise<string[]> {
  return (await query(prometheus, `up{job="${job}"} == 1`)).map((s) => s.metric.instance ?? "").sort();
}

/** Prometheus's own count of DNS lookups, read from its /metrics at this moment (not from a scrape of it). */
async function dnsLookups(prometheus: string): Promise<number> {
  const text = await (await fetch(`${prometheus}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("prometheus_sd_dns_lookups_total "));
  if (!line) throw new Error("Prometheus's /metrics has no prometheus_sd_dns_lookups_total");
  return Number(line.split(" ")[1]);
}

describe("Prometheus scrapes every replica (docker-compose.observe.yml over the front door)", () => {
  let stack: Stack | undefined;
  let prometheus = "";

  beforeAll(async () => {
    stack = await startProxyStack("observe", { PROMETHEUS_HOST_PORT: "0" }, ["docker-compose.observe.yml"]);
    const port = stack.environment.getContainer("prometheus-1").getMappedPort(9090);
    prometheus = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it("shows one up target per replica: 3 webapps and 3 apis, each at its own address", async () => {
    const webapps = await replicaTargets(stack!, "webapp");
    const apis = await replicaTargets(stack!, "api");
    expect(webapps).toHaveLength(3);
    expect(apis).toHaveLength(3);

    await eventually(async () => {
      expect(await upTargets(prometheus, "webapp")).toEqual(webapps);
      expect(await upTargets(prometheus, "api")).toEqual(apis);
    }, 30_000);
  });

  it("publishes no metrics port, and the front door answers /metrics with 404", async () => {
    const res = await fetch(`${stack!.webappUrl}/metrics`);
    expect(res.status).toBe(404);

    // Exposed (the images say which port they listen on), and published by no one.
    const { stdout } = await compose(stack!, ["ps", "--format", "{{.Service}} {{.Ports}}"]);
    expect(stdout).toContain(`${METRICS_PORT}/tcp`);
    expect(stdout).not.toContain(`->${METRICS_PORT}/`);
    const published = stdout
      .split("\n")
      .filter((line) => line.includes("->"))
      .map((line) => line.split(" ")[0])
      .sort();
    expect(published).toEqual(["prometheus", "proxy"]);
  });

  it("runs Prometheus as nobody, read-only, its config mounted read-only and its data in a named volume", async () => {
    const info = (await inspectService(stack!, "prometheus")) as unknown as {
      Config: { User: string };
      HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[] };
      Mounts: { Type: string; Name?: string; Destination: string; RW: boolean }[];
    };
    expect(info.Config.User).toBe("65534:65534");
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.CapDrop).toEqual(["ALL"]);
    const mount = (destination: string) => info.Mounts.find((m) => m.Destination === destination);
    expect(mount("/etc/prometheus/prometheus.yml")).toMatchObject({ Type: "bind", RW: false });
    expect(mount("/prometheus")).toMatchObject({ Type: "volume", Name: `${stack!.project}_prometheus-data`, RW: true });
  });

  it("counts exactly the page loads sent, summed over the replicas; one name for all of them sees one replica's share", async () => {
    const pageLoads = `sum(http_request_duration_seconds_count{job="webapp", route="/"})`;
    // Every replica scraped since the stack came up, with no page load yet but the ones counted here.
    const before = await eventually(async () => {
      const first = await scalar(prometheus, `count(up{job="webapp"} == 1)`);
      expect(first).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, SCRAPE_INTERVAL_MS + 1_000));
      return (await scalar(prometheus, pageLoads)) ?? 0;
    }, 30_000);

    const sent = 45;
    for (let i = 0; i < sent; i++) {
      const res = await fetch(stack!.webappUrl, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
    }

    await eventually(async () => expect(await scalar(prometheus, pageLoads)).toBe(before + sent), 20_000);
    // And it stays there: nothing counted twice by a later scrape.
    await new Promise((resolve) => setTimeout(resolve, SCRAPE_INTERVAL_MS + 1_000));
    expect(await scalar(prometheus, pageLoads)).toBe(before + sent);

    // The trap: the job that scrapes `webapp:9464` reads whichever replica its connection reached.
    const oneName = await scalar(
      prometheus,
      `sum(http_request_duration_seconds_count{job="webapp-through-one-name", route="/"})`,
    );
    expect(oneName).toBeGreaterThan(0);
    expect(oneName).toBeLessThan(before + sent);
  });

  it("follows a scale-up to 5 webapps with no restart of Prometheus", async () => {
    const started = (await inspectService(stack!, "prometheus")).State.StartedAt;

    await compose(stack!, ["up", "-d", "--wait", "--scale", "webapp=5"]);

    const webapps = await replicaTargets(stack!, "webapp");
    expect(webapps).toHaveLength(5);
    // One DNS lookup (every 10 s), Prometheus passing the new targets on (at most every 5 s), one scrape.
    await eventually(async () => expect(await upTargets(prometheus, "webapp")).toEqual(webapps), 45_000);
    const after = await inspectService(stack!, "prometheus");
    expect(after.State.StartedAt).toBe(started);
    expect(after.RestartCount).toBe(0);
  });

  it("shows a killed replica's up as 0 within two scrape intervals", async () => {
    const [victim] = (await compose(stack!, ["ps", "--quiet", "webapp"])).stdout.split("\n").filter(Boolean);
    const target = `${networkAddress(await inspectContainer(victim!), `${stack!.project}_frontend`)}:${METRICS_PORT}`;
    expect(await upTargets(prometheus, "webapp")).toContain(target);

    // Right after a lookup of the names, so the next one (10 s on, and up to 5 s more before Prometheus applies it) cannot drop the target
    // before a scrape has found it dead: DNS stops naming a killed container at once.
    const lookups = await dnsLookups(prometheus);
    await eventually(async () => expect(await dnsLookups(prometheus)).toBeGreaterThan(lookups), 20_000, 100);
    const killedAt = Date.now();
    await execa("docker", ["kill", victim!]);

    await eventually(
      async () => expect(await scalar(prometheus, `up{job="webapp", instance="${target}"}`)).toBe(0),
      2 * SCRAPE_INTERVAL_MS,
      200,
    );
    const seconds = (Date.now() - killedAt) / 1000;
    console.info(`a killed webapp replica's up was 0 after ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThanOrEqual((2 * SCRAPE_INTERVAL_MS) / 1000);
  });
});
