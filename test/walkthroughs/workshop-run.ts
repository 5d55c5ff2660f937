import { readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ResultPromise } from "execa";
import { execa } from "execa";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { expect } from "vitest";
import { LESSON_PROJECTS } from "../../scripts/workshop-reset.js";
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
/**
 * The lessons typed beside the integration files (lessons-beside.int.test.ts)
 * rather than with the others: lesson 17's Swarm runs in engines of its own,
 * and lesson 18's ports and project are the lessons' alone.
 */
export const LESSONS_BESIDE = ["17-three-machines.md", "18-what-is-my-stack-doing.md"];

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

const lines = (stdout: string) => stdout.split("\n").filter(Boolean);

/** One line of `docker events --format '{{json .}}'`: what happened, to what. */
interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
}

/**
 * Whether a container belongs to the lessons, by its name and labels: anything but a container
 * of another Compose project, the suite's own (testcontainers', the dev container's) or a
 * test's named `stockroom-test-*`,
 * so the lessons can be typed beside the integration tests.
 */
function isLessonContainer(name: string, project: string | undefined, suite: boolean): boolean {
  if (project) return LESSON_PROJECTS.includes(project);
  return !suite && !name.startsWith("stockroom-test-");
}

/**
 * `docker compose watch` (lesson 12) writes its process id to the Docker config folder
 * (`docker-compose/<project>.pid`) and leaves it there when it ends (Compose 2.26). A later
 * watch of the same project refuses to start ("cannot take exclusive lock") if that id now
 * belongs to another process, which a busy machine soon reuses. No lesson runs a watch when
 * the next one starts, so the file is stale then: removed before each lesson.
 */
function forgetComposeWatchLocks(env: Record<string, string | undefined>): void {
  const config = env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), ".docker");
  for (const project of LESSON_PROJECTS) rmSync(join(config, "docker-compose", `${project}.pid`), { force: true });
}

/** A container the suite made beside the lessons: testcontainers' own, or one under the suite's label (the dev container). */
const bySuite = (labels: Record<string, string | undefined>) =>
  "org.testcontainers" in labels || "stockroom-int-test" in labels;

/**
 * What a lesson left: its projects' containers and volumes, any container made from the
 * project's images, and any volume that a container of the lesson's mounted, or that
 * the lesson created, and that is still there.
 */
async function leftovers(events: EngineEvent[]): Promise<string[]> {
  const found: string[] = [];
  for (const project of LESSON_PROJECTS) {
    const label = `label=com.docker.compose.project=${project}`;
    found.push(...lines((await execa("docker", ["ps", "--all", "--filter", label, "--format", "{{.Names}}"])).stdout));
    found.push(...lines((await execa("docker", ["volume", "ls", "--quiet", "--filter", label])).stdout));
  }
  // Containers outside any Compose project (those are above) named or made like the lessons' own.
  const format = `{{.Names}}\t{{.Image}}\t{{.Label "com.docker.compose.project"}}\t{{.Label "org.testcontainers"}}{{.Label "stockroom-int-test"}}`;
  const containers = lines((await execa("docker", ["ps", "--all", "--format", format])).stdout)
    .map((line) => line.split("\t"))
    .filter(
      ([name = "", image = "", project, suite]) =>
        !project &&
        isLessonContainer(name, project, suite !== "") &&
        (name.startsWith("stockroom-") || /^(stockroom-|postgres:17-trixie)/.test(image)),
    )
    .map(([name, image]) => `${name} ${image}`);
  // An anonymous volume carries no project label: it is the lesson's if a container of the
  // lesson's mounted it, or if the lesson created it and no container mounted it.
  const ofLesson = new Set(
    events
      .filter(
        ({ Type, Actor: { Attributes: labels } }) =>
          Type === "container" &&
          isLessonContainer(labels.name ?? "", labels["com.docker.compose.project"], bySuite(labels)),
      )
      .map((e) => e.Actor.ID),
  );
  const mountedBy = new Map<string, string[]>();
  for (const { Type, Action, Actor } of events) {
    if (Type === "volume" && Action === "mount") {
      mountedBy.set(Actor.ID, [...(mountedBy.get(Actor.ID) ?? []), Actor.Attributes.container ?? ""]);
    }
  }
  const created = events.filter((e) => e.Type === "volume" && e.Action === "create").map((e) => e.Actor.ID);
  const existing = new Set(lines((await execa("docker", ["volume", "ls", "--quiet"])).stdout));
  const leaked = [...new Set([...created, ...mountedBy.keys()])].filter((volume) => {
    const by = mountedBy.get(volume) ?? [];
    return existing.has(volume) && !found.includes(volume) && (by.length === 0 || by.some((id) => ofLesson.has(id)));
  });
  return [...new Set([...found, ...containers.map((c) => `container ${c}`), ...leaked.map((v) => `volume ${v}`)])];
}

export class WorkshopRun {
  readonly machine: LearnerMachine;
  /** Seconds each lesson's commands took, by "lesson (shell)": for the instructor guide and docs/testing.md. */
  readonly timings: Record<string, number> = {};
  /** What the engine did since the preparation: image pulls, containers created, volumes created and mounted. */
  private readonly events: EngineEvent[] = [];
  private eventWatch: ResultPromise | undefined;

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
      expect(doctor.output).toContain("ready for lessons 1-18 without a network");
    } finally {
      await terminal.close();
    }
    // From here on, any image pull is a lesson needing the network on the day; the containers
    // and volumes the engine makes tell what each lesson leaves behind.
    const filters = ["type=image", "event=pull", "type=container", "event=create", "type=volume", "event=mount"];
    this.eventWatch = execa(
      "docker",
      ["events", ...filters.flatMap((f) => ["--filter", f]), "--format", "{{json .}}"],
      {
        reject: false,
        buffer: false,
      },
    );
    let partial = "";
    this.eventWatch.stdout?.on("data", (chunk: Buffer) => {
      const [last = "", ...complete] = `${partial}${chunk}`.split("\n").reverse();
      partial = last;
      for (const line of complete.reverse()) if (line) this.events.push(JSON.parse(line) as EngineEvent);
    });
  }

  /** Images pulled from a registry off this machine (lesson 16's own registry on 127.0.0.1 is no download). */
  private pulledSince(from: number): string[] {
    return this.events
      .slice(from)
      .filter((e) => e.Type === "image" && e.Action === "pull" && !/^(localhost|127\.0\.0\.1)[:/]/.test(e.Actor.ID))
      .map((e) => e.Actor.ID);
  }

  async typeLesson(lesson: string, shell: Shell, options: TypeOptions = {}): Promise<void> {
    const path = `docs/workshop/${lesson}`;
    const blocks = parseConsoleBlocks(readFileSync(join(this.machine.clone, path), "utf8"));
    expect(blocks.length, `${path} has no console blocks`).toBeGreaterThan(0);
    const from = this.events.length;
    const env = { ...this.machine.env, ...options.exported };
    forgetComposeWatchLocks({ ...process.env, ...env });
    const terminal = await Terminal.open({ shell, cwd: this.machine.clone, env });
    try {
      const run = await runLesson(path, blocks, terminal, options.rewrite);
      this.timings[`${lesson} (${shell})`] = Math.round(run.commandSeconds);
      if (run.slow.length > 0) console.log(`${lesson} (${shell}), its slow commands:\n  ${run.slow.join("\n  ")}`);
      if (run.failure) throw new Error(run.failure);
    } finally {
      await terminal.close();
    }
    // The engine reports within milliseconds; give the last events of the clean-up that long.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const left = await leftovers(this.events.slice(from));
    expect(left, `${path} left these behind; its last block should clean up`).toEqual([]);
    expect(this.pulledSince(from), `${path} pulled images the preparation should have`).toEqual([]);
    const changed = (await execa("git", ["status", "--porcelain"], { cwd: this.machine.clone })).stdout;
    expect(changed, `${path} left the learner's clone changed`).toBe("");
  }

  async finish(): Promise<void> {
    this.eventWatch?.kill();
    await this.machine.remove();
  }
}
