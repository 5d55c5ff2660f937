import { afterAll, beforeAll, describe, it } from "vitest";
import { drawSeed, LESSON_TIMEOUT_MS, LESSONS_BESIDE, WorkshopRun } from "./workshop-run.js";

// Lessons 17 and 18 typed into a terminal as a learner types them, one after
// the other in a fresh clone of their own (the same runner as
// lessons.int.test.ts), beside the other integration files instead of with
// the other lessons. Lesson 17's Swarm runs inside three Docker-in-Docker
// engines of its own, on ports 8090 and 5050, so it needs neither this
// engine to itself nor port 8080; lesson 16, whose registry also takes 5050,
// runs in the group before this one. Lesson 18 takes ports 8080 and 9090 and
// the project name stockroom, which only the lessons use, and those run in
// the group before. Each lesson's shell, zsh or bash, is drawn from the seed
// (LESSON_SEED replays a run).
const { seed, draw } = drawSeed();
const lessons = LESSONS_BESIDE.map((lesson) => ({
  lesson,
  shell: draw(0, 1) === 0 ? ("zsh" as const) : ("bash" as const),
}));

describe(`lessons 17 and 18, typed into a terminal beside the integration tests (LESSON_SEED=${seed})`, () => {
  let run: WorkshopRun;

  beforeAll(async () => {
    run = await WorkshopRun.start();
  });

  afterAll(async () => {
    await run?.finish();
    console.log(`Seconds spent in each lesson's commands (LESSON_SEED=${seed}): ${JSON.stringify(run?.timings)}`);
  });

  it("prepares the learner's clone: npm run workshop:prepare", () => run.prepare(), LESSON_TIMEOUT_MS);

  for (const { lesson, shell } of lessons) {
    it(`docs/workshop/${lesson} in ${shell}`, () => run.typeLesson(lesson, shell), LESSON_TIMEOUT_MS);
  }
});
