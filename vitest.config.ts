import { defineConfig } from "vitest/config";

// Two projects, one command each:
//   unit:        fast tests beside the code, no Docker (npm run test:unit)
//   integration: real containers, images and Compose stacks (npm run test:integration)
// `npm test` runs both through turbo, unit first.
// On GitHub Actions, failures are also annotated on the pull request and each
// run writes a JUnit report into test-results/ (uploaded as an artifact).
// npm names the script that runs us: test:unit or test:integration.
const onGitHubActions = process.env.GITHUB_ACTIONS === "true";
// biome-ignore lint/suspicious/noUndeclaredEnvVars: npm sets it for the script it runs, inside the turbo task
const reportName = (process.env.npm_lifecycle_event ?? "vitest").replace(/[^\w.-]/g, "-");

export default defineConfig({
  test: {
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
          name: "integration",
          include: ["test/**/*.int.test.ts"],
          // Fails the run with one clear line when no Docker engine answers.
          globalSetup: ["test/support/require-docker.ts"],
          // Image builds and Compose stacks are slow on a 2-core machine; the
          // long waits live here, not scattered through the tests.
          testTimeout: 120_000,
          hookTimeout: 600_000,
          // Files share one Docker engine and build the same images: one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
