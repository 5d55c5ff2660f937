import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root: the build context of every image and home of the Compose files. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** The workshop's numbered lessons, `01-preflight.md` ..., in order (files in docs/workshop/). */
export const lessonFiles = readdirSync(join(repoRoot, "docs", "workshop"))
  .filter((file) => /^\d\d-.+\.md$/.test(file))
  .sort();
