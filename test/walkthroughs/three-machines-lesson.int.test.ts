import { afterAll, beforeAll, describe, it } from "vitest";
import { drawSeed, LESSON_TIMEOUT_MS, WorkshopRun } from "./workshop-run.js";

// Lesson 17 typed into a terminal as a learner types it, in a fresh clone of
// its own (the same runner as lessons.int.test.ts), beside the other
// integration files instead of with the other lessons: its Swarm runs inside
// three Docker-in-Docker engines of its own, on ports 8090 and 5050, so it
// needs neither this engine to itself nor port 8080. Lesson 16, whose
// registry also takes 5050, runs in the group before this one. The shell,
// zsh or bash, is drawn from the seed (LESSON_SEED replays a run).
const LESSON = "17-three-machines.md";
const { seed, draw } = drawSeed();
const shell = draw(0, 1) === 0 ? "zsh" : "bash";

describe(`lesson 17, typed into a terminal beside the integration tests (LESSON_SEED=${seed})`, () => {
  let run: WorkshopRun;

  beforeAll(async () => {
    run = await WorkshopRun.start();
  });

  afterAll(async () => {
    await run?.finish();
    console.log(`Seconds spent in lesson 17's commands (LESSON_SEED=${seed}): ${JSON.stringify(run?.timings)}`);
  });

  it("prepares the learner's clone: npm run workshop:prepare", () => run.prepare(), LESSON_TIMEOUT_MS);

  it(`docs/workshop/${LESSON} in ${shell}`, () => run.typeLesson(LESSON, shell), LESSON_TIMEOUT_MS);
});
