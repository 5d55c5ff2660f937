import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ResultPromise } from "execa";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPage } from "../support/page.js";
import { repoRoot } from "../support/repo.js";
import type { Stack } from "../support/stack.js";
import { eventually, removeStack, startStack } from "../support/stack.js";

// `docker compose watch`, the inner loop: edit the api's source and the page
// shows the change, with no command typed. The test edits a real source file
// and always puts it back, then waits for the original message to return, so
// the stockroom-api image it leaves behind is built from the original source.
const SOURCE = join(repoRoot, "apps", "api", "src", "config.ts");
const ORIGINAL_MESSAGE = "Hello from the API container!";
const EDITED_MESSAGE = "Hello from the API container, edited while compose watch runs!";

const pageSays = async (stack: Stack, message: string) =>
  expect((await loadPage(stack.webappUrl)).html).toContain(`The API says: ${message}`);

describe("docker compose watch", () => {
  const original = readFileSync(SOURCE, "utf8");
  let stack: Stack | undefined;
  let watch: ResultPromise<{ all: true; reject: false }> | undefined;
  let output = "";

  beforeAll(async () => {
    expect(original, `${SOURCE} no longer holds the api's default message`).toContain(`"${ORIGINAL_MESSAGE}"`);
    stack = await startStack({ label: "watch" });
    watch = execa("docker", ["compose", "-p", stack.project, "-f", "docker-compose.yml", "watch", "--no-up", "api"], {
      cwd: repoRoot,
      env: stack.env,
      all: true,
      reject: false,
    });
    watch.all.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    await eventually(async () => expect(output).toContain("Watch enabled"), 30_000);
  });

  afterAll(async () => {
    writeFileSync(SOURCE, original);
    watch?.kill("SIGINT");
    await watch;
    await removeStack(stack);
  });

  it("rebuilds and replaces the api within 30 s of a source edit, and again when the edit is undone", async () => {
    await pageSays(stack!, ORIGINAL_MESSAGE);

    writeFileSync(SOURCE, original.replace(`"${ORIGINAL_MESSAGE}"`, `"${EDITED_MESSAGE}"`));
    const edited = Date.now();
    await eventually(() => pageSays(stack!, EDITED_MESSAGE), 90_000, 500);
    const seconds = (Date.now() - edited) / 1000;
    expect(seconds, `the edit reached the page after ${seconds} s\n${output}`).toBeLessThan(30);

    writeFileSync(SOURCE, original);
    await eventually(() => pageSays(stack!, ORIGINAL_MESSAGE), 90_000, 500);
  });

  it("stops at once on Ctrl-C and leaves the stack running", async () => {
    const stopped = Date.now();
    watch!.kill("SIGINT");
    const result = await watch!;
    expect(Date.now() - stopped).toBeLessThan(10_000);
    // 130 is how a program says "stopped by Ctrl-C"; watch prints "canceled".
    expect([0, 130], output).toContain(result.exitCode);
    await pageSays(stack!, ORIGINAL_MESSAGE);
  });
});
