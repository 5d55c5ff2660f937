import type { Server } from "node:net";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, it } from "vitest";
import { lessonFiles } from "../support/repo.js";
import { drawSeed, LESSON_TIMEOUT_MS, LESSONS_BESIDE, WorkshopRun } from "./workshop-run.js";

// Every ```console block of every numbered lesson in docs/workshop is typed
// into a real terminal (tmux) running stock zsh, on a Mac-like PATH, in a
// fresh clone where only `npm run workshop:prepare` has run, as a learner
// would. The lessons run in an order that changes from run to run (replay one
// with LESSON_SEED=N), so each must bring itself to its starting state. One of
// them, drawn by the same seed, is typed into bash instead, with port 8080
// taken and the webapp moved to 8081 the way lesson 1 says (WEBAPP_HOST_PORT):
// over runs, every lesson meets both shells.
const MOVED_PORT = 8081;
const { seed, draw } = drawSeed();
// Lessons 17 and 18 run beside the other integration files instead (lessons-beside.int.test.ts).
const order = lessonFiles.filter((lesson) => !LESSONS_BESIDE.includes(lesson));
for (let i = order.length - 1; i > 0; i--) {
  const j = draw(0, i);
  [order[i], order[j]] = [order[j] as string, order[i] as string];
}
const inBash = order[draw(0, order.length - 1)] as string;

describe(`the workshop, typed into a terminal as a learner types it (LESSON_SEED=${seed})`, () => {
  let run: WorkshopRun;

  beforeAll(async () => {
    console.log(`Lessons in this order (LESSON_SEED=${seed}): ${order.join(", ")}; in bash, last: ${inBash}`);
    run = await WorkshopRun.start();
  });

  afterAll(async () => {
    await run?.finish();
    console.log(`Seconds spent in each lesson's commands (LESSON_SEED=${seed}): ${JSON.stringify(run?.timings)}`);
  });

  it(
    "prepares the learner's clone with the one command the instructor sends: npm run workshop:prepare",
    () => run.prepare(),
    LESSON_TIMEOUT_MS,
  );

  for (const lesson of order.filter((lesson) => lesson !== inBash)) {
    it(`docs/workshop/${lesson} in zsh`, () => run.typeLesson(lesson, "zsh"), LESSON_TIMEOUT_MS);
  }

  // Lesson 1 takes port 8080 itself to show the preflight failing, so it is typed into bash as it stands.
  const movePort = inBash !== "01-preflight.md";
  it(
    `docs/workshop/${inBash} in bash${movePort ? `, with port 8080 taken and WEBAPP_HOST_PORT=${MOVED_PORT} exported, as lesson 1 says` : ""}`,
    async () => {
      if (!movePort) return run.typeLesson(inBash, "bash");
      const taken: Server = createServer().listen(8080, "127.0.0.1");
      try {
        // Lesson 1: "Wherever a lesson says localhost:8080 or 127.0.0.1:8080, use your port instead."
        const rewrite = (text: string) => text.replace(/\b(localhost|127\.0\.0\.1):8080\b/g, `$1:${MOVED_PORT}`);
        await run.typeLesson(inBash, "bash", { rewrite, exported: { WEBAPP_HOST_PORT: String(MOVED_PORT) } });
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    },
    LESSON_TIMEOUT_MS,
  );
});
