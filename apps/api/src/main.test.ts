import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The built service, started as `node dist/main.js` is: a bad variable must stop
// the process with one line on stderr, exit code 1, and nothing on stdout.
//
// Node cannot run src/main.ts as it is (its `./app.js` imports name files that
// exist only once compiled), and the unit run does not build the apps. So this
// file compiles the api with its own tsconfig.build.json into a private
// directory: never a dist/ that turbo may be writing at the same moment.

const workspace = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

let build: string;

beforeAll(async () => {
  build = mkdtempSync(join(tmpdir(), "api-main-test-"));
  await promisify(execFile)(process.execPath, [
    tsc,
    ...["-p", join(workspace, "tsconfig.build.json"), "--outDir", build, "--declaration", "false", "--sourceMap", "false"],
  ]);
  // What apps/api gives its dist/: ESM ("type": "module") and the workspace's node_modules.
  writeFileSync(join(build, "package.json"), '{ "type": "module" }\n');
  symlinkSync(join(repoRoot, "node_modules"), join(build, "node_modules"), "dir");
}, 60_000);

afterAll(() => rmSync(build, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the built api with exactly `env`; these runs end at once, the timeout is a safety net. */
function start(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(build, "main.js")], { env, timeout: 10_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("starting the api with a bad variable", () => {
  it.each([
    [{ PORT: "70000" }, "PORT"],
    [{ PORT: "abc" }, "PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ RESTOCK_MAX_ITEMS: "0" }, "RESTOCK_MAX_ITEMS"],
  ])("%o exits 1 with one line on stderr naming %s, and nothing on stdout", async (env, variable) => {
    const run = await start(env);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(new RegExp(`^api: ${variable} [^\\n]+\\n$`));
  });

  it("says what was wrong and what it got", async () => {
    const run = await start({ PORT: "70000" });

    expect(run.stderr).toBe('api: PORT must be a whole number from 1 to 65535 (got "70000")\n');
  });
});
