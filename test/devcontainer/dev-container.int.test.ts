import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Options } from "execa";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totalVisitsOn } from "../support/page.js";
import { repoRoot } from "../support/repo.js";
import type { LearnerMachine } from "../walkthroughs/learner-machine.js";
import { prepareLearnerMachine } from "../walkthroughs/learner-machine.js";

// The dev container (.devcontainer/) as a learner without Docker gets it: a
// fresh clone, opened with the Dev Containers CLI (what VS Code and Codespaces
// run), which builds the image, starts it privileged with its own Docker
// Engine and runs `npm ci` in it. Then, through `devcontainer exec`, as in a
// terminal of that container: the preflight passes and names the engine, the
// stack builds and serves its page with the inner engine, and lesson 10 is
// typed into tmux there by the walkthroughs' own runner. Everything it made is
// removed at the end: the container, the inner engine's volume, the images.
//
// No registry is reachable from CI, so the base images go from this engine to
// the inner one with `docker save | docker load`, from outside: the dev
// container itself stays as a learner gets it (in a codespace, its engine pulls
// them). The image build is cached by BuildKit between runs (cold: the apt
// install, about 20 s more); the inner engine starts empty every time.

/** The base images the stack builds on and runs, and lesson 10 checks are still there after its clean-up. */
const BASE_IMAGES = ["node:26-trixie-slim", "postgres:17-trixie"];
const CLI = join(repoRoot, "node_modules", ".bin", "devcontainer");
/** Where a machine behind a TLS-inspecting proxy keeps the CA that npm must trust, in the container. */
const EXTRA_CA_INSIDE = "/usr/local/share/stockroom-test/extra-ca.crt";

interface DevContainer {
  /** Everything `devcontainer up` and `exec` need to find it, and what this machine adds. */
  args: string[];
  options: Options;
  id?: string;
}

/**
 * `devcontainer up` on the clone, under a label of the suite's own (its leftover check knows it),
 * and the base images into its engine while it runs `npm ci` (10 s saved on this 2-core machine).
 * The CLI gives the container's user, node, the uid of whoever runs it, so that the mounted clone is
 * theirs, as VS Code does on Linux; it cannot make node root, so when the suite runs as root the
 * clone is handed to node's uid instead, as a codespace's clone belongs to the container's user.
 */
async function upDevContainer(machine: LearnerMachine): Promise<DevContainer> {
  const home = dirname(machine.clone);
  const label = `stockroom-int-test=devcontainer-test-${randomUUID().slice(0, 8)}`;
  const args = ["--workspace-folder", machine.clone, "--id-label", label];
  const up: string[] = [];
  // This CI machine reaches the npm registry through a TLS-inspecting proxy, whose CA Node.js finds
  // through NODE_EXTRA_CA_CERTS: the container's npm gets the same file. (A learner behind such a
  // proxy would add it to devcontainer.json; on GitHub's runners there is none.)
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  if (extraCa && existsSync(extraCa)) {
    copyFileSync(extraCa, join(home, "extra-ca.crt"));
    up.push("--mount", `type=bind,source=${join(home, "extra-ca.crt")},target=${EXTRA_CA_INSIDE}`);
    args.push("--remote-env", `NODE_EXTRA_CA_CERTS=${EXTRA_CA_INSIDE}`);
  }
  if (process.getuid?.() === 0) await execa("chown", ["-R", "1000:1000", machine.clone]);
  // The CLI's own scratch files (a Dockerfile per build) go with the clone's folder.
  const tmp = join(home, "devcontainer-cli");
  mkdirSync(tmp);
  const container: DevContainer = { args, options: { env: { TMPDIR: tmp }, all: true, reject: false } };
  let upEnded = false;
  const upping = execa(CLI, ["up", ...args, ...up], container.options).finally(() => {
    upEnded = true;
  });
  const [result, notFed] = await Promise.all([
    upping,
    feedBaseImages(label, () => upEnded).then(
      () => undefined,
      (err: Error) => err,
    ),
  ]);
  container.id = (await execa("docker", ["ps", "--all", "--quiet", "--filter", `label=${label}`])).stdout.trim();
  if (result.exitCode !== 0 || notFed) {
    await removeDevContainer(container);
    const lastLines = String(result.all).split("\n").slice(-40).join("\n");
    throw new Error(
      result.exitCode !== 0
        ? `devcontainer up failed:\n${lastLines}`
        : `the base images did not load into its engine: ${notFed?.message}`,
    );
  }
  return container;
}

/**
 * `docker save ... | docker exec -i <id> docker load`, once the container `label` names runs and its
 * engine answers (the entrypoint waits for it before the CLI goes on to `npm ci`).
 */
async function feedBaseImages(label: string, upEnded: () => boolean): Promise<void> {
  for (;;) {
    const id = (await execa("docker", ["ps", "--quiet", "--filter", `label=${label}`])).stdout.trim();
    const answers = id && (await execa("docker", ["exec", id, "docker", "version"], { reject: false })).exitCode === 0;
    if (answers) {
      const save = execa("docker", ["save", ...BASE_IMAGES], { buffer: false });
      await save.pipe("docker", ["exec", "-i", id, "docker", "load"]);
      return;
    }
    if (upEnded()) throw new Error("devcontainer up ended before its engine answered");
    await sleep(500);
  }
}

/** A command in the dev container as its terminals run it: as node, in the workspace, with its environment. */
async function inside(container: DevContainer, command: string[]): Promise<{ exitCode: number; output: string }> {
  const result = await execa(CLI, ["exec", ...container.args, ...command], container.options);
  return { exitCode: result.exitCode ?? -1, output: String(result.all) };
}

/** The container, the volume its engine keeps /var/lib/docker on, and the images the CLI built for it. */
async function removeDevContainer(container: DevContainer | undefined): Promise<void> {
  if (!container?.id) return;
  const { stdout } = await execa("docker", [
    "inspect",
    "--format",
    '{{.Config.Image}}{{range .Mounts}}{{if eq .Destination "/var/lib/docker"}} {{.Name}}{{end}}{{end}}',
    container.id,
  ]);
  const [image = "", volume = ""] = stdout.trim().split(" ");
  await execa("docker", ["rm", "--force", "--volumes", container.id]);
  if (volume) await execa("docker", ["volume", "rm", volume]);
  // vsc-<folder>-<hash of the clone's path>, and the -uid image the CLI makes from it: this run's own.
  const images = [image, image.replace(/-uid$/, "")].filter((name) => name.startsWith("vsc-"));
  await execa("docker", ["rmi", ...new Set(images)], { reject: false });
}

/** Seconds since `from`, for the phase lines this test prints. */
const since = (from: number) => `${((performance.now() - from) / 1000).toFixed(0)} s`;

describe("the dev container (.devcontainer/), from a fresh clone with the Dev Containers CLI", () => {
  let machine: LearnerMachine | undefined;
  let container: DevContainer;
  const phases: string[] = [];

  beforeAll(async () => {
    const started = performance.now();
    machine = await prepareLearnerMachine();
    container = await upDevContainer(machine);
    phases.push(`clone, devcontainer up (build, start, npm ci) and the base images loaded ${since(started)}`);
  });

  afterAll(async () => {
    await removeDevContainer(container);
    await machine?.remove();
    console.log(`The dev container's test, by phase: ${phases.join(", ")}`);
  });

  it("passes npm run doctor, which names the engine inside the dev container", async () => {
    const doctor = await inside(container, ["npm", "run", "doctor"]);
    expect(doctor.exitCode, doctor.output).toBe(0);
    expect(doctor.output).toContain("✔ Docker engine running (Docker Engine inside a dev container, server ");
    expect(doctor.output).toContain("✔ Docker Compose v2 (");
    expect(doctor.output).toContain("ℹ Docker Engine inside a dev container: the engine runs in this container");
  });

  it("keeps its engine's data on the volume at /var/lib/docker, where dockerd can use overlay2", async () => {
    const driver = await inside(container, ["docker", "info", "--format", "{{.Driver}}"]);
    expect(driver.output.trim()).toBe("overlay2");
  });

  it("builds and starts the stack with its own engine, and serves the page with its visit count", async () => {
    const started = performance.now();
    const up = await inside(container, ["docker", "compose", "up", "-d", "--build", "--wait"]);
    expect(up.exitCode, up.output).toBe(0);
    phases.push(`docker compose up --build inside ${since(started)}`);
    const page = async () => {
      const curl = await inside(container, ["curl", "-s", "--max-time", "10", "http://localhost:8080/"]);
      expect(curl.exitCode, curl.output).toBe(0);
      return curl.output;
    };
    const first = await page();
    expect(first).toContain("The API says: Hello from the API container!");
    expect(totalVisitsOn(await page())).toBe(totalVisitsOn(first) + 1);
    // Lesson 10 starts the stack again from its own first command, on the port this one holds.
    const down = await inside(container, ["docker", "compose", "down", "--volumes"]);
    expect(down.exitCode, down.output).toBe(0);
  }, 300_000);

  it("runs lesson 10, typed into tmux inside it by the walkthroughs' runner", async () => {
    const started = performance.now();
    // The walkthroughs' own test file, filtered to one lesson: a fresh clone of the workspace inside,
    // the lesson typed into zsh (or bash, as the seed draws), its screens and what it leaves checked.
    const lesson = "docs/workshop/10-clean-up.md in ";
    const vitest = [
      "npx",
      "vitest",
      "run",
      "test/walkthroughs/lessons.int.test.ts",
      "-t",
      lesson,
      "--reporter=verbose",
      "--no-color",
    ];
    const run = await inside(container, vitest);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toMatch(/Tests\s+1 passed/);
    expect(run.output).toMatch(/✓ .*> docs\/workshop\/10-clean-up\.md in (zsh|bash)/);
    phases.push(`lesson 10 inside ${since(started)}`);
  }, 300_000);
});
