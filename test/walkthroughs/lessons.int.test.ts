import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/repo.js";
import { parseConsoleBlocks } from "./console-blocks.js";
import { describeFailure, runCommand } from "./run-lesson.js";

// Every ```console block of every numbered lesson in docs/workshop runs here,
// in order, against the real Docker engine, exactly as a learner types it.
// A lesson's last block is its clean-up: it runs even when an earlier step
// failed, so one broken lesson does not break the next.
const workshop = join(repoRoot, "docs", "workshop");
// A lesson builds images and brings stacks up and down: minutes, not the suite's default two.
const LESSON_TIMEOUT_MS = 15 * 60_000;
const lessons = readdirSync(workshop)
  .filter((file) => /^\d\d-.+\.md$/.test(file))
  .sort();

/** Volumes no container uses: an anonymous volume a lesson leaks carries no project label, only shows up here. */
async function danglingVolumes(): Promise<Set<string>> {
  const { stdout } = await execa("docker", ["volume", "ls", "--quiet", "--filter", "dangling=true"]);
  return new Set(stdout.split("\n").filter(Boolean));
}

/** What a lesson may leave behind: nothing made from the project's images, no project containers or volumes, no new unused volume. */
async function leftoversOfLessons(danglingBefore: Set<string>): Promise<string[]> {
  const containers = (await execa("docker", ["ps", "--all", "--format", "{{.Names}} {{.Image}}"])).stdout
    .split("\n")
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

describe("the workshop walkthroughs, run as a learner types them", () => {
  it("has lessons to run", () => {
    expect(lessons.length).toBeGreaterThan(0);
  });

  for (const lesson of lessons) {
    it(
      `docs/workshop/${lesson}`,
      async () => {
        const path = `docs/workshop/${lesson}`;
        const blocks = parseConsoleBlocks(readFileSync(join(workshop, lesson), "utf8"));
        const danglingBefore = await danglingVolumes();
        expect(blocks.length, `${path} has no console blocks`).toBeGreaterThan(0);

        let failure: string | undefined;
        let failedBlock = -1;
        for (const [index, block] of blocks.entries()) {
          for (const command of block.commands) {
            failure = describeFailure(path, block, command, await runCommand(command.command, repoRoot));
            if (failure) break;
          }
          if (failure) {
            failedBlock = index;
            break;
          }
        }
        const cleanUp = blocks.at(-1);
        if (failure && cleanUp && failedBlock !== blocks.length - 1) {
          for (const command of cleanUp.commands) await runCommand(command.command, repoRoot);
        }
        if (failure) throw new Error(failure);

        const leftovers = await leftoversOfLessons(danglingBefore);
        expect(leftovers, `${path} left these behind; its last block should clean up`).toEqual([]);
      },
      LESSON_TIMEOUT_MS,
    );
  }
});
