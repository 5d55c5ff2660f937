import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Docker } from "./workshop-reset.ts";
import { describeRemoved, resetWorkshop } from "./workshop-reset.ts";

/** A fake engine: answers `docker` commands from `answers` (by their first words), records every call. */
function fakeDocker(answers: Record<string, string>) {
  const calls: string[] = [];
  const docker: Docker = async (args) => {
    const command = args.join(" ");
    calls.push(command);
    const key = Object.keys(answers)
      .filter((prefix) => command.startsWith(prefix))
      .sort((a, b) => b.length - a.length)[0];
    return key === undefined ? "" : (answers[key] as string);
  };
  return { docker, calls };
}

const LEARNER_ENGINE = {
  "info ": "inactive\n",
  "ps -a --format": [
    "a1\tstockroom-webapp-1\tstockroom",
    "a2\tlesson5-api-1\tlesson5",
    "a3\tlesson6-db-1\tlesson6",
    "a4\tstockroom-swarm-lab-manager-1\tstockroom-swarm-lab",
    "a5\tstockroom-shell\t",
    "b1\tmy-own-postgres\t",
    "b2\tblog-web-1\tblog",
  ].join("\n"),
  "network ls": [
    "bridge\t",
    "stockroom_frontend\tstockroom",
    "lesson6_default\tlesson6",
    "stockroom-by-hand\t",
    "blog_default\tblog",
  ].join("\n"),
  "volume ls": ["stockroom_db-data\tstockroom", "stockroom-demo\t", "blog_data\tblog", "0123abcd\t"].join("\n"),
  images: [
    "stockroom-api:latest",
    "stockroom-api:v1.0",
    "stockroom-api:v2",
    "127.0.0.1:5050/stockroom-api:v1",
    "node:26-trixie-slim",
    "postgres:17-trixie",
    "stockroom-webapp:<none>",
    "my-app:1.0",
  ].join("\n"),
};

describe("npm run workshop:reset", () => {
  it("removes the lessons' containers, networks, volumes and added tags, and nothing of anyone else's", async () => {
    const { docker, calls } = fakeDocker(LEARNER_ENGINE);
    const removed = await resetWorkshop(docker);
    expect(removed).toEqual({
      stack: false,
      swarm: "off",
      containers: [
        "lesson5-api-1",
        "lesson6-db-1",
        "stockroom-shell",
        "stockroom-swarm-lab-manager-1",
        "stockroom-webapp-1",
      ],
      networks: ["lesson6_default", "stockroom-by-hand", "stockroom_frontend"],
      volumes: ["stockroom-demo", "stockroom_db-data"],
      images: ["127.0.0.1:5050/stockroom-api:v1", "stockroom-api:v1.0", "stockroom-api:v2"],
    });
    expect(calls).toContain("rm -f -v a1 a2 a3 a4 a5");
    expect(calls).toContain("network rm stockroom_frontend lesson6_default stockroom-by-hand");
    expect(calls).toContain("volume rm -f stockroom_db-data stockroom-demo");
    expect(calls).toContain("rmi stockroom-api:v1.0 stockroom-api:v2 127.0.0.1:5050/stockroom-api:v1");
    expect(calls.some((call) => call.startsWith("swarm"))).toBe(false);
  });

  it("leaves the dev container alone: its engine's volume holds the learner's workshop", async () => {
    // devcontainer.json is JSON with // comments (JSONC); its mount's source, as the CLI names it.
    const jsonc = readFileSync(join(import.meta.dirname, "..", ".devcontainer", "devcontainer.json"), "utf8");
    const config = JSON.parse(jsonc.replace(/^\s*\/\/.*$/gm, "")) as { mounts: { source: string }[] };
    const volumes = config.mounts.map(({ source }) => source.replace(/\$\{devcontainerId\}/, "0i7khvdjtd307v1g3plaa2"));
    expect(volumes).toHaveLength(1);
    const { docker } = fakeDocker({
      ...LEARNER_ENGINE,
      "ps -a --format": "c1\tvigilant_hopper\t",
      "volume ls": volumes.map((volume) => `${volume}\t`).join("\n"),
    });
    const removed = await resetWorkshop(docker);
    expect(removed.containers).toEqual([]);
    expect(removed.volumes).toEqual([]);
  });

  it("removes lesson 13's stack and leaves swarm mode when the swarm is the workshop's alone", async () => {
    const { docker, calls } = fakeDocker({
      "info ": "active\n",
      "service ls": "stockroom-swarm_api\nstockroom-swarm_db\n",
      "node ls": "learner-laptop\n",
    });
    const removed = await resetWorkshop(docker, 0);
    expect(calls).toEqual(expect.arrayContaining(["stack rm stockroom-swarm", "swarm leave --force"]));
    expect(removed).toMatchObject({ stack: true, swarm: "left", networks: ["docker_gwbridge"] });
    expect(describeRemoved(removed)).toContain("  swarm mode: left (lesson 13)");
  });

  it("keeps a swarm that runs anything else, and says why", async () => {
    const { docker, calls } = fakeDocker({
      "info ": "active\n",
      "service ls": "stockroom-swarm_api\nmonitoring_grafana\n",
      "node ls": "learner-laptop\n",
    });
    const removed = await resetWorkshop(docker, 0);
    expect(calls).toContain("stack rm stockroom-swarm");
    expect(calls).not.toContain("swarm leave --force");
    expect(describeRemoved(removed)).toContain(
      "  swarm mode: kept, since it runs services that are not the workshop's: monitoring_grafana",
    );
  });

  it("says so when nothing was left, and what it always keeps", async () => {
    const { docker } = fakeDocker({ "info ": "inactive\n", images: "node:26-trixie-slim\nstockroom-api:latest\n" });
    expect(describeRemoved(await resetWorkshop(docker))).toEqual([
      "Nothing of the workshop's was left on this engine.",
      "Kept: the images the preparation pulled and built (stockroom-*:latest), and your files.",
    ]);
  });
});
