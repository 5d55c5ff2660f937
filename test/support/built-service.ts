import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Env } from "@stockroom/http-kit";
import { afterAll, beforeAll, expect } from "vitest";
import { repoRoot } from "./repo.js";

// For both services' unit tests (apps/*/src): the built service, started as
// `node dist/main.js` is. Node cannot run src/main.ts as it is (its `./app.js`
// imports name files that exist only once compiled), and the unit run does not
// build the apps. So the service is compiled with its own tsconfig.build.json
// into a private directory: never a dist/ that turbo may be writing at the
// same moment.

/** How one run of a service ended. */
export interface ServiceRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface BuiltService {
  /** Starts the built service with exactly `env`; these runs end at once, the timeout is a safety net. */
  start(env: Env): Promise<ServiceRun>;
}

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/**
 * Compiles the service whose workspace is `workspace` (e.g. `new URL("..",
 * import.meta.url)` from `apps/api/src`) before the file's tests, removes the
 * build after them. Call it at the top level of a test file.
 */
export function builtService(workspace: URL): BuiltService {
  const workspaceDir = fileURLToPath(workspace);
  let build: string | undefined;

  beforeAll(async () => {
    build = mkdtempSync(join(tmpdir(), `${basename(workspaceDir)}-main-test-`));
    await promisify(execFile)(process.execPath, [
      tsc,
      ...["-p", join(workspaceDir, "tsconfig.build.json"), "--outDir", build],
      ...["--declaration", "false", "--sourceMap", "false"],
    ]);
    // What the workspace gives its dist/: ESM ("type": "module") and the repo's
    // node_modules, which the workspaces share.
    writeFileSync(join(build, "package.json"), '{ "type": "module" }\n');
    symlinkSync(join(repoRoot, "node_modules"), join(build, "node_modules"), "dir");
  }, 60_000);

  afterAll(() => {
    if (build !== undefined) rmSync(build, { recursive: true, force: true });
  });

  return {
    start(env) {
      if (build === undefined) throw new Error("builtService: start() runs in a test, after the build");
      const main = join(build, "main.js");
      return new Promise((resolve) => {
        execFile(process.execPath, [main], { env, timeout: 10_000 }, (err, stdout, stderr) => {
          const code = err === null ? 0 : typeof err.code === "number" ? err.code : null;
          resolve({ code, stdout, stderr });
        });
      });
    },
  };
}

/**
 * A bad variable stops the process the way runService promises: exit code 1,
 * nothing on stdout, one line on stderr naming the variable
 * (`api: PORT must be ...`).
 */
export function expectRefusedToStart(run: ServiceRun, service: string, variable: string): void {
  expect(run.code).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(new RegExp(`^${service}: ${variable} [^\\n]+\\n$`));
}
