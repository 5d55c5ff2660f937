import { readdirSync, readFileSync } from "node:fs";
import type { Server } from "node:net";
import { createServer } from "node:net";
import { join } from "node:path";
import type { ResultPromise } from "execa";
import { execa } from "execa";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/repo.js";
import { parseConsoleBlocks } from "./console-blocks.js";
import type { LearnerMachine } from "./learner-machine.js";
import { prepareLearnerMachine } from "./learner-machine.js";
import { runLesson } from "./run-lesson.js";
import type { Shell } from "./terminal.js";
import { Terminal } from "./terminal.js";

// Every ```console block of every numbered lesson in docs/workshop is typed
// into a real terminal (tmux) running stock zsh, on a Mac-like PATH, in a
// fresh clone where only `npm run workshop:prepare` has run, as a learner
// would. The lessons run in an order that changes from run to run (replay one
// with LESSON_SEED=N), so each must bring itself to its starting state. One of
// them, drawn by the same seed, is typed into bash instead, with port 8080
// taken and the webapp moved to 8081 the way lesson 1 says (WEBAPP_HOST_PORT):
// over runs, every lesson meets both shells, and the suite stays in its budget.
const workshop = join(repoRoot, "docs", "workshop");
// A lesson builds images and brings stacks up and down: minutes, not the suite's default two.
const LESSON_TIMEOUT_MS = 15 * 60_000;
const lessons = readdirSync(workshop)
  .filter((file) => /^\d\d-.+\.md$/.test(file))
  .sort();
const seed = Number(process.env.LESSON_SEED || Math.floor(Math.random() * 2 ** 31));
const rng = xoroshiro128plus(seed);
const order = [...lessons];
for (let i = order.length - 1; i > 0; i--) {
  const j = uniformInt(rng, 0, i);
  [order[i], order[j]] = [order[j] as string, order[i] as string];
}
const inBash = lessons[uniformInt(rng, 0, lessons.length - 1)] as string;
const MOVED_PORT = 8081;

/** Volumes no container uses: an anonymous volume a lesson leaks carries no project label, only shows up here. */
async function danglingVolumes(): Promise<Set<string>> {
  const { stdout } = await execa("docker", ["volume", "ls", "--quiet", "--filter", "dangling=true"]);
  return new Set(stdout.split("\n").filter(Boolean));
}

/** What a lesson may leave behind: nothing made from the project's images, no project containers or volumes, no new unused volume. */
async function leftoversOfLessons(danglingBefore: Set<string>): Promise<string[]> {
  const containers = (await execa("docker", ["ps", "--all", "--format", "{{.Names}} {{.Image}}"])).stdout
    .split("\n")
    .filter((line) => !line.startsWith("stockroom-test-"))
    .filter((line) => /\s(stockroom-|postgres:17-trixie)/.test(line) || /^stockroom-/.test(line));
  const volumes = (
    await execa("docker", ["volume", "ls", "--quiet", "--filter", "label=com.docker.compose.project=stockroom"])
  ).stdout
    .split("\n")
    .filter(Boolean);
  const leaked = [...(await danglingVolumes())].filter((volume) => !danglingBefore.has(volume));
  return [
    ...containers.map((c) => `container ${c}`),
    ...volumes.map((v) => `volume ${v}`),
    ...leaked.map((v) => `unused volume ${v}`),
  ];
}

describe(`the workshop, typed into a terminal as a learner types it (LESSON_SEED=${seed})`, () => {
  let machine: LearnerMachine;
  let pullWatch: ResultPromise | undefined;
  const pulls: string[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    console.log(`Lessons in this order (LESSON_SEED=${seed}): ${order.join(", ")}; in bash, last: ${inBash}`);
    machine = await prepareLearnerMachine();
  });

  afterAll(async () => {
    pullWatch?.kill();
    await machine?.remove();
    console.log(`Seconds spent in each lesson's commands (LESSON_SEED=${seed}): ${JSON.stringify(timings)}`);
  });

  async function typeLesson(
    lesson: string,
    shell: Shell,
    rewrite?: (text: string) => string,
    exported: Record<string, string> = {},
  ): Promise<void> {
    const path = `docs/workshop/${lesson}`;
    const blocks = parseConsoleBlocks(readFileSync(join(machine.clone, path), "utf8"));
    expect(blocks.length, `${path} has no console blocks`).toBeGreaterThan(0);
    const danglingBefore = await danglingVolumes();
    const pullsBefore = pulls.length;
    const terminal = await Terminal.open({ shell, cwd: machine.clone, env: { ...machine.env, ...exported } });
    try {
      const run = await runLesson(path, blocks, terminal, rewrite);
      timings[`${lesson} (${shell})`] = Math.round(run.commandSeconds);
      if (run.failure) throw new Error(run.failure);
    } finally {
      await terminal.close();
    }
    const leftovers = await leftoversOfLessons(danglingBefore);
    expect(leftovers, `${path} left these behind; its last block should clean up`).toEqual([]);
    expect(pulls.slice(pullsBefore), `${path} pulled images the preparation should have`).toEqual([]);
    const changed = (await execa("git", ["status", "--porcelain"], { cwd: machine.clone })).stdout;
    expect(changed, `${path} left the learner's clone changed`).toBe("");
  }

  it(
    "prepares the learner's clone with the one command the instructor sends: npm run workshop:prepare",
    async () => {
      const terminal = await Terminal.open({ shell: "zsh", cwd: machine.clone, env: machine.env });
      try {
        const prepare = await terminal.type("npm run workshop:prepare", LESSON_TIMEOUT_MS);
        expect(prepare.exitCode, prepare.output).toBe(0);
        const doctor = await terminal.type("npm run doctor", 60_000);
        expect(doctor.output).toContain("ready for lessons 1-17 without a network");
      } finally {
        await terminal.close();
      }
      // From here on, any image pull is a lesson needing the network on the day.
      pullWatch = execa(
        "docker",
        ["events", "--filter", "type=image", "--filter", "event=pull", "--format", "{{.Actor.ID}}"],
        {
          reject: false,
        },
      );
      // Lesson 16 pulls from its own registry on this machine: that is no download.
      const fromThisMachine = /^(localhost|127\.0\.0\.1)[:/]/;
      pullWatch.stdout?.on("data", (chunk: Buffer) =>
        pulls.push(
          ...chunk
            .toString()
            .split("\n")
            .filter((image) => image !== "" && !fromThisMachine.test(image)),
        ),
      );
    },
    LESSON_TIMEOUT_MS,
  );

  for (const lesson of order.filter((lesson) => lesson !== inBash)) {
    it(`docs/workshop/${lesson} in zsh`, () => typeLesson(lesson, "zsh"), LESSON_TIMEOUT_MS);
  }

  // Lesson 1 takes port 8080 itself to show the preflight failing, so it is typed into bash as it stands.
  const movePort = inBash !== "01-preflight.md";
  it(
    `docs/workshop/${inBash} in bash${movePort ? `, with port 8080 taken and WEBAPP_HOST_PORT=${MOVED_PORT} exported, as lesson 1 says` : ""}`,
    async () => {
      if (!movePort) return typeLesson(inBash, "bash");
      const taken: Server = createServer().listen(8080, "127.0.0.1");
      try {
        // Lesson 1: "Wherever a lesson says localhost:8080 or 127.0.0.1:8080, use your port instead."
        const yourPort = (text: string) => text.replace(/\b(localhost|127\.0\.0\.1):8080\b/g, `$1:${MOVED_PORT}`);
        await typeLesson(inBash, "bash", yourPort, { WEBAPP_HOST_PORT: String(MOVED_PORT) });
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    },
    LESSON_TIMEOUT_MS,
  );
});
