import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ResultPromise } from "execa";
import { execa } from "execa";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { expect } from "vitest";
import { repoRoot } from "../support/repo.js";
import { parseConsoleBlocks } from "./console-blocks.js";
import type { LearnerMachine } from "./learner-machine.js";
import { prepareLearnerMachine } from "./learner-machine.js";
import { runLesson } from "./run-lesson.js";
import type { Shell } from "./terminal.js";
import { Terminal } from "./terminal.js";

/**
 * One run of the workshop as a learner types it: a fresh clone prepared with
 * `npm run workshop:prepare`, then lessons typed into a terminal, each checked
 * for what it leaves behind and for any image it pulls.
 */

// A lesson builds images and brings stacks up and down: minutes, not the suite's default two.
export const LESSON_TIMEOUT_MS = 15 * 60_000;

export const lessonFiles = readdirSync(join(repoRoot, "docs", "workshop"))
  .filter((file) => /^\d\d-.+\.md$/.test(file))
  .sort();

/** The seed for this run (LESSON_SEED replays one), and a random source drawn from it. */
export function drawSeed(): { seed: number; draw: (from: number, to: number) => number } {
  const seed = Number(process.env.LESSON_SEED || Math.floor(Math.random() * 2 ** 31));
  const rng = xoroshiro128plus(seed);
  return { seed, draw: (from, to) => uniformInt(rng, from, to) };
}

export interface TypeOptions {
  /** Changes each command and expected line as a learner is told to (a port moved off 8080). */
  rewrite?: (text: string) => string;
  /** Variables the learner exported in this terminal. */
  exported?: Record<string, string>;
}

const LESSON_PROJECTS = ["stockroom", "stockroom-swarm-lab", "lesson5"];

/** Volumes no container uses: an anonymous volume a lesson leaks carries no project label, only shows up here. */
async function danglingVolumes(): Promise<Set<string>> {
  const { stdout } = await execa("docker", ["volume", "ls", "--quiet", "--filter", "dangling=true"]);
  return new Set(stdout.split("\n").filter(Boolean));
}

const lines = (stdout: string) => stdout.split("\n").filter(Boolean);

/**
 * What a lesson left: its projects' containers and volumes, any container
 * made from the project's images, and any new unused volume.
 */
async function leftovers(danglingBefore: Set<string>): Promise<string[]> {
  const found: string[] = [];
  for (const project of LESSON_PROJECTS) {
    const label = `label=com.docker.compose.project=${project}`;
    found.push(...lines((await execa("docker", ["ps", "--all", "--filter", label, "--format", "{{.Names}}"])).stdout));
    found.push(...lines((await execa("docker", ["volume", "ls", "--quiet", "--filter", label])).stdout));
  }
  // A container of another Compose project (a test's, a benchmark's) is not the lesson's.
  const format = `{{.Names}} {{.Image}} {{.Label "com.docker.compose.project"}}`;
  const containers = lines((await execa("docker", ["ps", "--all", "--format", format])).stdout)
    .map((line) => line.split(" "))
    .filter(([, , project]) => !project || LESSON_PROJECTS.includes(project))
    .map(([name = "", image = ""]) => `${name} ${image}`)
    .filter((line) => /\s(stockroom-|postgres:17-trixie)/.test(line) || /^stockroom-/.test(line));
  const leaked = [...(await danglingVolumes())].filter((volume) => !danglingBefore.has(volume));
  return [
    ...new Set([...found, ...containers.map((c) => `container ${c}`), ...leaked.map((v) => `unused volume ${v}`)]),
  ];
}

export class WorkshopRun {
  readonly machine: LearnerMachine;
  /** Seconds each lesson's commands took, by "lesson (shell)": for the instructor guide and docs/testing.md. */
  readonly timings: Record<string, number> = {};
  private readonly pulls: string[] = [];
  private pullWatch: ResultPromise | undefined;

  private constructor(machine: LearnerMachine) {
    this.machine = machine;
  }

  static async start(): Promise<WorkshopRun> {
    return new WorkshopRun(await prepareLearnerMachine());
  }

  /** Types the one command the instructor sends out, checks the doctor's verdict, then watches for pulls. */
  async prepare(): Promise<void> {
    const terminal = await Terminal.open({ shell: "zsh", cwd: this.machine.clone, env: this.machine.env });
    try {
      const prepare = await terminal.type("npm run workshop:prepare", LESSON_TIMEOUT_MS);
      expect(prepare.exitCode, prepare.output).toBe(0);
      const doctor = await terminal.type("npm run doctor", 60_000);
      expect(doctor.output).toContain("ready for lessons 1-17 without a network");
    } finally {
      await terminal.close();
    }
    // From here on, any image pull is a lesson needing the network on the day;
    // lesson 16 pulls from its own registry on this machine, which is no download.
    const fromThisMachine = /^(localhost|127\.0\.0\.1)[:/]/;
    const format = "{{.Actor.ID}}";
    this.pullWatch = execa(
      "docker",
      ["events", "--filter", "type=image", "--filter", "event=pull", "--format", format],
      {
        reject: false,
      },
    );
    this.pullWatch.stdout?.on("data", (chunk: Buffer) =>
      this.pulls.push(...lines(chunk.toString()).filter((image) => !fromThisMachine.test(image))),
    );
  }

  async typeLesson(lesson: string, shell: Shell, options: TypeOptions = {}): Promise<void> {
    const path = `docs/workshop/${lesson}`;
    const blocks = parseConsoleBlocks(readFileSync(join(this.machine.clone, path), "utf8"));
    expect(blocks.length, `${path} has no console blocks`).toBeGreaterThan(0);
    const danglingBefore = await danglingVolumes();
    const pullsBefore = this.pulls.length;
    const env = { ...this.machine.env, ...options.exported };
    const terminal = await Terminal.open({ shell, cwd: this.machine.clone, env });
    try {
      const run = await runLesson(path, blocks, terminal, options.rewrite);
      this.timings[`${lesson} (${shell})`] = Math.round(run.commandSeconds);
      if (run.slow.length > 0) console.log(`${lesson} (${shell}), its slow commands:\n  ${run.slow.join("\n  ")}`);
      if (run.failure) throw new Error(run.failure);
    } finally {
      await terminal.close();
    }
    const left = await leftovers(danglingBefore);
    expect(left, `${path} left these behind; its last block should clean up`).toEqual([]);
    expect(this.pulls.slice(pullsBefore), `${path} pulled images the preparation should have`).toEqual([]);
    const changed = (await execa("git", ["status", "--porcelain"], { cwd: this.machine.clone })).stdout;
    expect(changed, `${path} left the learner's clone changed`).toBe("");
  }

  async finish(): Promise<void> {
    this.pullWatch?.kill();
    await this.machine.remove();
  }
}
