import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPage } from "../support/page.js";
import { repoRoot } from "../support/repo.js";
import type { Stack } from "../support/stack.js";
import { compose, inspectService, removeStack, startStack, uniqueProject } from "../support/stack.js";

// Git for Windows sets core.autocrlf=true by default: without .gitattributes,
// every text file would arrive with CRLF line endings, and a Dockerfile's
// `\` continuations, the password file and the lessons would all break inside
// Linux. This clones the committed tree (HEAD: uncommitted work is not in it,
// as on CI) the way such a learner does, and runs the stack from that clone.
//
// The clone's images get their own names (an override file beside the
// clone's docker-compose.yml), so this never replaces the stockroom-*:latest
// images other tests and lessons use. BuildKit's cache is shared: an LF clone
// builds from the cache, which is what keeps this test cheap.

/** Files where a CR would break something inside a container, read byte for byte. */
const SAMPLE = [
  ".ci/run",
  "apps/api/Dockerfile",
  "apps/webapp/Dockerfile",
  "packages/restock/Dockerfile",
  "docker-compose.yml",
  "config/dev-only-db-password.txt",
  "data/input_data.json",
  "docs/workshop/05-compose-one-then-two.md",
];

describe("a clone made with core.autocrlf=true (Git for Windows' default)", () => {
  const project = uniqueProject("crlf-clone");
  const images = {
    webapp: `${project}-webapp:clone`,
    api: `${project}-api:clone`,
    restock: `${project}-restock:clone`,
  };
  const files = ["docker-compose.yml", "crlf-clone.images.yml"];
  let clone = "";
  let stack: Stack | undefined;
  let buildSeconds = 0;

  beforeAll(async () => {
    clone = join(await mkdtemp(join(tmpdir(), "stockroom-crlf-")), "stockroom");
    await execa("git", ["clone", "--quiet", "--no-local", "-c", "core.autocrlf=true", repoRoot, clone]);
    await writeFile(
      join(clone, "crlf-clone.images.yml"),
      [
        "services:",
        `  webapp: { image: "${images.webapp}" }`,
        `  migrate: { image: "${images.webapp}" }`,
        `  api: { image: "${images.api}" }`,
        `  restock: { image: "${images.restock}" }`,
        "",
      ].join("\n"),
    );
    const started = Date.now();
    await compose({ project, files, env: {}, dir: clone }, ["--profile", "jobs", "build"]);
    buildSeconds = (Date.now() - started) / 1000;
    stack = await startStack({ label: "crlf-clone", project, files, dir: clone });
  });

  afterAll(async () => {
    await removeStack(stack);
    await execa("docker", ["image", "rm", ...Object.values(images)], { reject: false });
    if (clone) await rm(join(clone, ".."), { recursive: true, force: true });
  });

  it("checks out every file with LF endings, as .gitattributes says", async () => {
    expect((await execa("git", ["-C", clone, "config", "core.autocrlf"])).stdout).toBe("true");
    const { stdout } = await execa("git", ["-C", clone, "ls-files", "--eol"]);
    const crlf = stdout.split("\n").filter((line) => /\bw\/(crlf|mixed)\b/.test(line));
    expect(crlf).toEqual([]);
    for (const file of SAMPLE) {
      expect((await readFile(join(clone, file), "utf8")).includes("\r"), file).toBe(false);
    }
  });

  it("builds the images and turns the stack healthy from the clone", async () => {
    console.info(`crlf-clone: the clone's three images built in ${buildSeconds.toFixed(1)} s`);
    expect((await inspectService(stack!, "webapp")).Config.Image).toBe(images.webapp);
    const page = await loadPage(stack!.webappUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain("The API says: Hello from the API container!");
  });

  it("runs the restock job on the clone's sample data", async () => {
    const data = join(clone, "data");
    await chmod(data, 0o777); // the job runs as uid 1000, whoever cloned
    const input = JSON.parse(await readFile(join(data, "input_data.json"), "utf8")) as { item: string }[];

    const run = await compose(stack!, ["--profile", "jobs", "run", "--rm", "restock"]);

    expect(run.stdout).toContain(
      `Processed ${input.length} inventory items. Results saved to /app/data/output_data.json`,
    );
    const output = JSON.parse(await readFile(join(data, "output_data.json"), "utf8")) as { item: string }[];
    expect(output.map((record) => record.item)).toEqual(input.map((item) => item.item));
  });
});
