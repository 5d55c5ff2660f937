import { defineConfig } from "vitest/config";
import type { TestSpecification } from "vitest/node";
import { BaseSequencer } from "vitest/node";

// Two kinds of tests, one command each:
//   unit:        fast tests beside the code, no Docker (npm run test:unit)
//   integration: real containers, images and Compose stacks (npm run test:integration),
//                first the files that must run alone, then the rest two at a time.
// `npm test` runs both through turbo, at the same time: the integration files mostly wait
// on containers, and the unit tests fill the CPU they leave.
// On GitHub Actions, failures are also annotated on the pull request and each
// run writes a JUnit report into test-results/ (uploaded as an artifact).
// npm names the script that runs us: test:unit or test:integration.
const onGitHubActions = process.env.GITHUB_ACTIONS === "true";
// biome-ignore lint/suspicious/noUndeclaredEnvVars: npm sets it for the script it runs, inside the turbo task
const reportName = (process.env.npm_lifecycle_event ?? "vitest").replace(/[^\w.-]/g, "-");

/** What both integration projects share. */
const integration = {
  // Fails the run with one clear line when no Docker engine answers.
  globalSetup: ["test/support/require-docker.ts"],
  // Image builds and Compose stacks are slow on a 2-core machine; the
  // long waits live here, not scattered through the tests.
  testTimeout: 120_000,
  hookTimeout: 600_000,
};
const alone = [
  "test/walkthroughs/lessons.int.test.ts",
  "test/compose/watch.int.test.ts",
  "test/swarm/stack-deploy.int.test.ts",
  "test/walkthroughs/workshop-reset.int.test.ts",
];

// The two Swarm labs (lesson 17 and test/swarm-lab) are the longest files of the two-at-a-time
// group, 2 to 3 minutes each: they start first, and the short files fill in beside them.
// Otherwise vitest starts the largest files first on a clean clone, and a lab could be the tail.
const LONGEST = /(lessons-beside|swarm-lab\/three-nodes)\.int\.test\.ts$/;
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) =>
      (spec.project.config.sequence.groupOrder ?? 0) * 2 + (LONGEST.test(spec.moduleId) ? 0 : 1);
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirst },
    reporters: onGitHubActions ? ["default", "github-actions", "junit"] : ["default"],
    outputFile: { junit: `test-results/junit-${reportName}.xml` },
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "apps/*/src/**/*.test.ts",
            "packages/*/src/**/*.test.ts",
            "scripts/**/*.test.ts",
            "test/**/*.test.ts",
          ],
          exclude: ["**/node_modules/**", "test/**/*.int.test.ts"],
        },
      },
      {
        test: {
          ...integration,
          // Each of these files starts its own Compose projects under unique names and
          // free ports, so two run at once: much of their time is spent waiting for
          // healthchecks, restarts, sleeps and the network, not on the CPU. Three at once
          // took this group from about 7 min 23 s to 6 min 28 s on 2026-12-06 (the CPU 92 %
          // busy), but made test/faults/restock-sigterm and lesson 17 fail in two of four
          // clean-clone runs: back to two until both hold up on a saturated machine.
          name: "integration",
          include: ["test/**/*.int.test.ts"],
          exclude: [...alone, "**/node_modules/**"],
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          ...integration,
          // These run alone, before the rest: the lessons use the learner's project
          // name and port 8080, and check that nothing else is running; the watch test
          // (like lessons 3 and 12) edits source files that any image built meanwhile
          // would pick up; the Swarm test (like lesson 13) turns Swarm mode on and off,
          // which rewires the engine's networks under any stack running beside it; so does
          // the workshop:reset test, which also removes whatever the lessons' projects left.
          name: "integration-alone",
          include: alone,
          maxWorkers: 1,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
