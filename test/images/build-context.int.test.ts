import { existsSync, globSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/repo.js";

// What an image build from the repo root receives, as BuildKit sends it (the
// three Dockerfiles and every Compose file build from there): a probe copies
// the whole context into an empty image and writes its files out to a folder,
// with no image tagged and no container run. .dockerignore must keep out what
// no image runs, so an edit to it rebuilds nothing and no secret reaches a
// layer, and let in everything the Dockerfiles read.

/** What no build may receive, each with why. */
const STAYS_OUT: [RegExp, string][] = [
  [/\.test\.ts$/, "a test"],
  [/^test\/(?!package\.json$)/, "the integration suite (its package.json stays: turbo reads every workspace's)"],
  [/(^|\/)src\/testing\//, "a test helper"],
  [/^docs\/|\.md$/, "docs"],
  [/^(scripts|bench|swarm-lab|\.github|\.ci|\.devcontainer)\//, "a tool around the images, not in one"],
  [/^[^/]+\.ya?ml$/, "a Compose file or a linter's settings"],
  [/^(biome\.json|vitest\.config\.ts|\.env\.example|\.nvmrc)$/, "a setting of the tools around the images"],
  [/^(config|secrets)\/|^\.env$/, "a secret"],
  [/(^|\/)(node_modules|dist|\.turbo|\.git)\//, "dependencies, build output or git's history"],
];
const whyOut = (path: string) => STAYS_OUT.find(([pattern]) => pattern.test(path))?.[1];

/** The root files the Dockerfiles COPY (`package.json`, `tsconfig.base.json`) or `turbo prune` reads and copies on. */
const ROOT_FILES = [
  "package.json",
  "package-lock.json",
  "turbo.json",
  "tsconfig.base.json",
  ".gitignore",
  ".gitattributes",
];

const PROBE = "FROM scratch\nCOPY . /\n";

describe("the build context of the images", () => {
  let out = "";
  let context: Set<string>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "stockroom-build-context-"));
    await execa("docker", ["build", "--progress=quiet", "--output", `type=local,dest=${out}`, "-f", "-", "."], {
      cwd: repoRoot,
      input: PROBE,
    });
    context = new Set(
      readdirSync(out, { recursive: true, withFileTypes: true })
        .filter((entry) => !entry.isDirectory())
        .map((entry) => join(entry.parentPath, entry.name).slice(out.length + 1)),
    );
  });

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("holds no test, doc, script, benchmark, lab file or secret", () => {
    expect(context.size).toBeGreaterThan(0);
    const leaked = [...context].flatMap((path) => {
      const why = whyOut(path);
      return why ? [`${path}: ${why}`] : [];
    });
    expect(leaked).toEqual([]);
  });

  it("holds every file the Dockerfiles and turbo prune read: the root's, each workspace's manifest, the sources", async () => {
    const { workspaces } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { workspaces: string[] };
    const manifests = workspaces.flatMap((glob) => globSync(`${glob}/package.json`, { cwd: repoRoot }));
    // Tracked and new files alike, as they are on disk now.
    const listFiles = ["ls-files", "--cached", "--others", "--exclude-standard", "apps", "packages"];
    const { stdout } = await execa("git", listFiles, { cwd: repoRoot });
    const sources = stdout.split("\n").filter((path) => path && existsSync(join(repoRoot, path)) && !whyOut(path));
    expect(sources).toContain("apps/webapp/src/main.ts");
    const needed = [...ROOT_FILES, ...manifests, ...sources];
    expect(needed.filter((path) => !context.has(path))).toEqual([]);
  });
});
