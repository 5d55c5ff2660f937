import { fileURLToPath } from "node:url";

/** The monorepo root: the build context of every image and home of the Compose files. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
