import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import vitestConfig from "../../vitest.config.js";
import { repoRoot } from "../support/repo.js";

// What the README says about the repository, checked against the files
// themselves: it is read at test time, so a file moved without its row fails
// here. Each of these was once wrong while the code was right. (The lesson
// counts are checked in test/walkthroughs/workshop-facts.test.ts, the variables
// in test/compose/compose-files.test.ts.)
const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");
const readme = read("README.md");

/** The text under a `## heading`, up to the next one. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `the README has a "## ${heading}" section`).toBeGreaterThan(-1);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The `code spans` of a piece of Markdown. */
const codeSpans = (markdown: string) => [...markdown.matchAll(/`([^`\n]+)`/g)].map(([, span]) => span as string);

/** A table's body rows, each as its cells' text. */
const tableRows = (markdown: string) =>
  markdown
    .split("\n")
    .filter((line) => line.startsWith("|") && !/^\|[-| :]+\|$/.test(line))
    .slice(1)
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );

/** The paths of `candidates` that git ignores: made by a build or by you, so a fresh clone has none of them. */
async function ignoredByGit(candidates: string[]): Promise<string[]> {
  if (candidates.length === 0) return [];
  const { stdout } = await execa("git", ["-C", repoRoot, "check-ignore", ...candidates], { reject: false });
  return stdout.split("\n").filter(Boolean);
}

describe("the README", () => {
  it("is at most 160 lines", () => {
    expect(readme.trimEnd().split("\n").length).toBeLessThanOrEqual(160);
  });

  it("names in its Layout table only paths that exist", async () => {
    // A row names its paths in the first cell; the second may name more, inside
    // them (`src/`, `Dockerfile`) or from the root (`config/nginx/templates/`).
    // Commands (`npm run doctor`) and globs (`*.test.ts`) are not paths.
    const isPath = (span: string) => !/[\s*]/.test(span) && (/[./]/.test(span) || span === "Dockerfile");
    const rows = tableRows(section("Layout"));
    expect(rows.length).toBeGreaterThan(10);
    const named = rows.flatMap(([paths = "", what = ""]) => {
      const rowPaths = codeSpans(paths);
      const inside = codeSpans(what)
        .filter(isPath)
        .map((span) => {
          const within = rowPaths.filter((dir) => dir.endsWith("/")).map((dir) => `${dir}${span}`);
          // Named from the root when it is there and in none of the row's folders; else it must be in each of them.
          const fromRoot = existsSync(join(repoRoot, span)) && !within.some((path) => existsSync(join(repoRoot, path)));
          return fromRoot || within.length === 0 ? [span] : within;
        });
      return [...rowPaths, ...inside.flat()];
    });
    const absent = named.filter((path) => !existsSync(join(repoRoot, path)));
    const ignored = await ignoredByGit(absent);
    expect(absent.filter((path) => !ignored.includes(path))).toEqual([]);
  });

  it("counts and names the test projects vitest.config.ts defines", () => {
    const projects = (vitestConfig.test?.projects ?? []).flatMap((project) =>
      typeof project === "object" && "test" in project ? [String(project.test?.name)] : [],
    );
    expect(projects).toContain("unit");
    const [, row = ""] = tableRows(section("Layout")).find(([paths]) => paths === "`vitest.config.ts`") ?? [];
    const NUMBER_WORDS = "zero one two three four five six seven eight nine".split(" ");
    const [, said = ""] = /\bthe (\w+) test projects\b/.exec(row) ?? [];
    expect(NUMBER_WORDS.indexOf(said), `"${row}"`).toBe(projects.length);
    expect(codeSpans(row)).toEqual(expect.arrayContaining(projects));
  });

  it("names, in its page load, the calls each route it names makes on the store and the api client", () => {
    // apps/webapp/src/app.ts: each `.route("/path")` and what it calls on its deps.
    const app = read("apps/webapp/src/app.ts");
    const routes = new Map(
      app
        .split(/\.route\(/)
        .slice(1)
        .map((chunk) => [
          /^"([^"]+)"/.exec(chunk)?.[1] ?? "",
          [...chunk.matchAll(/\b(?:visits|api)\.(\w+)\(/g)].map(([, call]) => call as string),
        ]),
    );
    const page = routes.get("/") ?? [];
    expect(page, "what GET / calls in app.ts").toContain("recordVisit");
    const calls = new Set([...routes.values()].flat());

    const flow = section("How one page load flows");
    const steps = flow.split(/\n(?=\d+\. )/).slice(1);
    // A step about the page load names what GET / calls; a call of another
    // route only beside that route (`listRecentVisits` serves `/api/visits`).
    const misplaced = steps.flatMap((step) => {
      const spans = codeSpans(step);
      const allowed = new Set([
        ...page,
        ...spans.filter((span) => routes.has(span)).flatMap((r) => routes.get(r) ?? []),
      ]);
      return spans.filter((span) => calls.has(span) && !allowed.has(span)).map((call) => `${call} in "${step.trim()}"`);
    });
    expect(misplaced).toEqual([]);
    expect(page.filter((call) => !codeSpans(flow).includes(call))).toEqual([]);
  });
});
