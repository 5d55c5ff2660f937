import { defineConfig } from "vitest/config";

// Two projects, one command each:
//   unit:        fast tests beside the code, no Docker (npm run test:unit)
//   integration: real containers, images and Compose stacks (npm run test:integration)
// `npm test` runs both through turbo, unit first.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["apps/*/src/**/*.test.ts", "packages/*/src/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
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
