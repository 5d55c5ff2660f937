import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/repo.js";

// `npm run workshop:reset` on this engine: something of every kind a lesson
// leaves (a Compose project, a named container, network and volume, a tag, a
// stack on a swarm), and things that are not the workshop's, which must stay.
// It turns swarm mode on and off, so it runs with the files that have the
// engine to themselves (vitest.config.ts).
const docker = (...args: string[]) => execa("docker", args, { cwd: repoRoot });
const UNRELATED = { container: "reset-test-unrelated", volume: "reset-test-unrelated-data" };
const TAG = "stockroom-api:reset-test";

describe("npm run workshop:reset", () => {
  afterAll(async () => {
    await docker("rm", "-f", UNRELATED.container).catch(() => undefined);
    await docker("volume", "rm", "-f", UNRELATED.volume).catch(() => undefined);
    // Whatever a failed run left of the lessons' things, the reset itself removes.
    await execa("node", ["scripts/workshop-reset.ts"], { cwd: repoRoot, reject: false });
  });

  it("removes every kind of thing the lessons leave, keeps everything else, and says what it removed", async () => {
    await docker("compose", "-f", "docs/workshop/compose/api-only.yml", "create");
    await docker("create", "--name", "stockroom-shell", "node:26-trixie-slim");
    await docker("network", "create", "stockroom-by-hand");
    await docker("volume", "create", "stockroom-demo");
    await docker("tag", "stockroom-api:latest", TAG);
    await docker("swarm", "init", "--advertise-addr", "127.0.0.1");
    await docker(
      ...["service", "create", "--detach", "--name", "stockroom-swarm_api"],
      ...["--label", "com.docker.stack.namespace=stockroom-swarm", "node:26-trixie-slim", "sleep", "infinity"],
    );
    await docker("create", "--name", UNRELATED.container, "node:26-trixie-slim");
    await docker("volume", "create", UNRELATED.volume);

    const { stdout } = await execa("node", ["scripts/workshop-reset.ts"], { cwd: repoRoot });

    expect(stdout).toContain("Removed what the lessons left:");
    expect(stdout).toContain("the stack stockroom-swarm (lesson 13)");
    expect(stdout).toContain("swarm mode: left (lesson 13)");
    expect(stdout).toMatch(/containers: .*lesson5-api-1.*stockroom-shell/);
    expect(stdout).toMatch(/networks: .*lesson5_default.*stockroom-by-hand/);
    expect(stdout).toContain("volumes: stockroom-demo");
    expect(stdout).toContain(`image tags: ${TAG}`);
    expect((await docker("info", "--format", "{{.Swarm.LocalNodeState}}")).stdout.trim()).toBe("inactive");
    const left = async (...args: string[]) => (await docker(...args)).stdout.split("\n").filter(Boolean);
    expect(await left("ps", "-a", "--format", "{{.Names}}", "--filter", "name=^(stockroom-shell|lesson5-)")).toEqual(
      [],
    );
    expect(await left("network", "ls", "-q", "--filter", "name=^(stockroom-by-hand|lesson5_default)$")).toEqual([]);
    expect(await left("volume", "ls", "-q", "--filter", "name=^stockroom-demo$")).toEqual([]);
    expect(await left("images", "-q", TAG)).toEqual([]);
    // Not the workshop's: still here, as are the images the preparation built.
    expect(await left("ps", "-a", "--format", "{{.Names}}", "--filter", `name=^${UNRELATED.container}$`)).toEqual([
      UNRELATED.container,
    ]);
    expect(await left("volume", "ls", "-q", "--filter", `name=^${UNRELATED.volume}$`)).toEqual([UNRELATED.volume]);
    expect(await left("images", "-q", "stockroom-api:latest")).toHaveLength(1);

    const again = await execa("node", ["scripts/workshop-reset.ts"], { cwd: repoRoot });
    expect(again.stdout).toContain("Nothing of the workshop's was left on this engine.");
  });
});
