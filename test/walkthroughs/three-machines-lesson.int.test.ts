import { afterAll, beforeAll, describe, it } from "vitest";
import { drawSeed, LESSON_TIMEOUT_MS, lessonFiles, WorkshopRun } from "./workshop-run.js";

// Lesson 17 typed into a terminal as a learner types it, like the others
// (lessons.int.test.ts), in a fresh clone of its own after
// `npm run workshop:prepare`. Its three Docker engines and their registry
// run in containers under their own project name and ports, and it uses
// neither port 8080 nor this engine's Swarm mode, so it runs beside the other
// integration files instead of alone: about 3 minutes the suite does not wait
// for. It is typed into bash as often as any other lesson (1 run in 17).
const { seed, draw } = drawSeed();
const shell = draw(1, lessonFiles.length) === 1 ? "bash" : "zsh";
const LESSON = "17-three-machines.md";

describe(`lesson 17, typed into a terminal as a learner types it (LESSON_SEED=${seed})`, () => {
  let run: WorkshopRun;

  beforeAll(async () => {
    run = await WorkshopRun.start();
  });

  afterAll(async () => {
    await run?.finish();
    console.log(`Seconds spent in lesson 17's commands (LESSON_SEED=${seed}): ${JSON.stringify(run?.timings)}`);
  });

  it("prepares its clone with npm run workshop:prepare", () => run.prepare(), LESSON_TIMEOUT_MS);

  it(
    `docs/workshop/${LESSON} in ${shell}`,
    () => run.typeLesson(LESSON, shell, { besideOthers: true }),
    LESSON_TIMEOUT_MS,
  );
});
