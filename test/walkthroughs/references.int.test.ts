import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/repo.js";

// Static checks on what the walkthroughs name: the Compose file combinations
// they use are valid, every repo path and npm script they mention exists, and
// every relative link resolves.
const workshop = join(repoRoot, "docs", "workshop");
const docs = [
  "README.md",
  ...readdirSync(workshop)
    .filter((file) => file.endsWith(".md"))
    .map((file) => `docs/workshop/${file}`),
];
const read = (doc: string) => readFileSync(join(repoRoot, doc), "utf8");

/** Inline code spans and fenced lines that look like paths inside this repo. */
function repoPathsIn(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string);
  const words = spans.flatMap((span) => span.split(/\s+/));
  return words
    .map((word) => word.replace(/^["'(]+|["'),:;]+$/g, "").replace(/^\.\//, ""))
    .filter(
      (word) =>
        /^(apps|packages|test|docs|data|config|scripts|\.ci)\/[\w./-]+$/.test(word) ||
        /^(docker-compose[\w.-]*\.ya?ml|turbo\.json|package\.json|tsconfig\.base\.json|vitest\.config\.ts|\.dockerignore|\.env\.example|\.nvmrc)$/.test(
          word,
        ),
    )
    .filter(
      (word) =>
        !word.includes("*") && !word.endsWith("/dist") && !word.includes("/dist/") && !/output_data\.json$/.test(word),
    );
}

describe("what the walkthroughs name exists", () => {
  it.each(docs)("%s names only repo paths that exist", (doc) => {
    const missing = repoPathsIn(read(doc)).filter((path) => !existsSync(join(repoRoot, path)));
    expect(missing).toEqual([]);
  });

  it.each(docs)("%s runs only npm scripts that exist", (doc) => {
    const scripts = Object.keys(JSON.parse(read("package.json")).scripts);
    const named = [...read(doc).matchAll(/npm run (?:--?[\w-]+\s+)*([\w:-]+)/g)].map((m) => m[1] as string);
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it.each(docs)("%s links only to files that exist", (doc) => {
    const links = [...read(doc).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
      .map((m) => m[1] as string)
      .filter((target) => !/^[a-z]+:/.test(target));
    const broken = links.filter((target) => !existsSync(join(repoRoot, dirname(doc), target)));
    expect(broken).toEqual([]);
  });
});

describe("the Compose file combinations the walkthroughs use are valid", () => {
  // The lessons' own small Compose files, each used on its own.
  const lessonFiles = readdirSync(join(workshop, "compose"))
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => [["-f", `docs/workshop/compose/${file}`]]);

  it.each([
    [["-f", "docker-compose.yml"]],
    [["-f", "docker-compose.yml", "-f", "docker-compose.ephemeral.yml"]],
    [["-f", "docker-compose.yml", "--profile", "jobs"]],
    [["-f", "docker-compose.yml", "-f", "docker-compose.proxy.yml"]],
    ...lessonFiles,
  ])("docker compose %j config --quiet", async (args) => {
    const result = await execa("docker", ["compose", ...args, "config", "--quiet"], {
      cwd: repoRoot,
      reject: false,
      all: true,
    });
    expect(result.all).toBe("");
    expect(result.exitCode).toBe(0);
  });
});
