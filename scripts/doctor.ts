// npm run doctor: checks this machine before the Stockroom workshop and says
// exactly what to fix. Every check prints one line:
//
//   ✔ <what> (<detail>)
//   ✘ <what>: <problem>. Fix: <what to do>
//
// and a last line says whether all is set. Exit code 0 when every check
// passes, 1 otherwise. Lines starting with ℹ are for information only; lines
// starting with ⚠ are worth fixing (same shape as ✘) but may not matter on
// this machine, so they do not change the exit code. What the doctor says
// about the engine it found is in doctor-engine.ts, what it adds under WSL 2
// in doctor-wsl.ts, and whether `npm run workshop:prepare` left all the
// lessons need offline comes from workshop-prepare.ts.
//
// Plain Node.js, no dependencies: Node 24+ runs this TypeScript file as is.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { statfs } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import type { DockerInfo, DockerVersion, Engine } from "./doctor-engine.ts";
import { describeEngine, nameEngine, parseJson } from "./doctor-engine.ts";
import type { WindowsPort, Wsl } from "./doctor-wsl.ts";
import {
  checkWindowsPort,
  describeNodeUnderWsl,
  describePortOnWindows,
  describePortUnderWsl,
  detectWsl,
} from "./doctor-wsl.ts";
import { isEntryPoint } from "./is-entry-point.ts";
import { describeReadiness } from "./workshop-prepare.ts";

export interface Check {
  ok: boolean;
  line: string;
}

export interface RunResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  notFound: boolean; // the program is not on the PATH
  timedOut: boolean;
}

/** Runs a program (no shell) and never throws. */
export type Run = (program: string, args: string[]) => Promise<RunResult>;

export const MIN_NODE_MAJOR = 24;
export const MIN_FREE_GB = 5;
const TIMEOUT_MS = 10_000; // `docker info` can hang when the engine is wedged

const pass = (what: string, detail: string): Check => ({ ok: true, line: `✔ ${what} (${detail})` });
const fail = (what: string, problem: string, fix: string): Check => ({
  ok: false,
  line: `✘ ${what}: ${problem}. Fix: ${fix}`,
});
const firstLine = (text: string) => text.split("\n")[0]?.trim() ?? "";

export function checkNode(version: string): Check {
  const major = Number(version.replace(/^v/, "").split(".")[0]);
  if (major >= MIN_NODE_MAJOR) return pass("Node.js", `v${version.replace(/^v/, "")}`);
  return fail(
    "Node.js",
    `v${version.replace(/^v/, "")} is too old, the workshop needs ${MIN_NODE_MAJOR} or newer`,
    "install Node.js 24 or newer from https://nodejs.org (or `nvm install 26`), then open a new terminal",
  );
}

export async function checkDockerCli(run: Run, wsl?: Wsl): Promise<Check> {
  const result = await run("docker", ["--version"]);
  if (result.ok) return pass("Docker CLI installed", result.stdout);
  // Docker Desktop leaves a `docker` in every distro that says so while its WSL integration is off there.
  const integrationOff = /could not be found in this WSL/.test(`${result.stdout} ${result.stderr}`);
  if (wsl && (integrationOff || result.notFound)) {
    return fail(
      "Docker CLI",
      integrationOff
        ? "`docker` could not be found in this WSL 2 distro: Docker Desktop's WSL integration is off for it"
        : "`docker` is not on your PATH in WSL",
      `in Docker Desktop (install it on Windows if it is not there), Settings > Resources > WSL integration, turn on ` +
        `${wsl.distro || "this distro"}, Apply & restart, then open a new terminal`,
    );
  }
  return fail(
    "Docker CLI",
    result.notFound ? "`docker` is not on your PATH" : `\`docker --version\` failed (${firstLine(result.stderr)})`,
    "install Docker Desktop (https://docs.docker.com/get-docker/), or on Linux Docker Engine with the Compose plugin " +
      "(https://docs.docker.com/engine/install/), then open a new terminal",
  );
}

/** Whether the engine answers, and which engine it is; DOCKER_HOST is the learner's, as `docker` sees it. */
export async function checkEngine(
  run: Run,
  env: Record<string, string | undefined> = {},
): Promise<{ check: Check; engine?: Engine }> {
  const result = await run("docker", ["info", "--format", "{{json .}}"]);
  const info = result.ok ? parseJson<DockerInfo>(result.stdout) : undefined;
  if (info?.ServerVersion) {
    if (info.OSType === "windows") {
      const check = fail(
        "Docker engine",
        "it runs Windows containers, and the workshop's images are Linux ones",
        "right-click Docker Desktop's icon in the taskbar, choose Switch to Linux containers, then run `docker info`",
      );
      return { check };
    }
    const version = await run("docker", ["version", "--format", "{{json .}}"]);
    const name = nameEngine(info, parseJson<DockerVersion>(version.stdout));
    return { check: pass("Docker engine running", `${name}, server ${info.ServerVersion}`), engine: { name, info } };
  }
  return { check: engineProblem(result, env.DOCKER_HOST?.trim()) };
}

function engineProblem(result: RunResult, dockerHost: string | undefined): Check {
  const denied = /permission denied/i.test(result.stderr);
  // Set by hand or by an engine's installer (Colima, Podman), often for an engine no longer running.
  if (dockerHost && !denied) {
    return fail(
      "Docker engine",
      `DOCKER_HOST=${dockerHost} does not answer (${firstLine(result.stderr) || "no answer"})`,
      "start the engine it points to, or `unset DOCKER_HOST` (and remove it from your shell profile) " +
        "to use the current Docker context; `docker context ls` lists them",
    );
  }
  if (result.timedOut) {
    return fail(
      "Docker engine",
      `\`docker info\` got no answer within ${TIMEOUT_MS / 1000} s, so the engine seems stuck`,
      "restart Docker Desktop, or on Linux `sudo systemctl restart docker`; then run `docker info`",
    );
  }
  if (denied) {
    return fail(
      "Docker engine",
      "you may not use it (permission denied on the Docker socket)",
      "on Linux, `sudo usermod -aG docker $USER`, log out and back in, then run `docker info`",
    );
  }
  const start = "Start Docker Desktop, or on Linux `sudo systemctl start docker`; then run `docker info`";
  return fail("Docker engine", `not running (${firstLine(result.stderr) || "no answer"})`, start);
}

export async function checkCompose(run: Run): Promise<Check> {
  const v2 = await run("docker", ["compose", "version", "--short"]);
  const major = Number(/^v?(\d+)\./.exec(v2.stdout)?.[1]);
  if (v2.ok && major >= 2) return pass("Docker Compose v2", v2.stdout);
  const install =
    "update Docker Desktop (it includes Compose v2), or on Linux install the Compose plugin " +
    "(package docker-compose-plugin, see https://docs.docker.com/compose/install/linux/); then run `docker compose version`";
  const v1 = await run("docker-compose", ["version", "--short"]);
  if (v1.ok && /^v?1\./.test(v1.stdout)) {
    return fail(
      "Docker Compose v2",
      `only docker-compose ${v1.stdout} (Compose v1) is installed, and v1 is not supported`,
      install,
    );
  }
  return fail("Docker Compose v2", "`docker compose` does not work (no Compose v2 plugin)", install);
}

export function checkDisk(freeBytes: number, where: string): Check {
  if (Number.isNaN(freeBytes))
    return pass("Free disk space", `could not measure it here; make sure ${MIN_FREE_GB} GB are free`);
  const gb = (freeBytes / 1e9).toFixed(1);
  if (freeBytes >= MIN_FREE_GB * 1e9) return pass("Free disk space", `${gb} GB free`);
  return fail(
    "Free disk space",
    `only ${gb} GB free on the disk that holds ${where}, and the images need about ${MIN_FREE_GB} GB`,
    "free some space; `docker system df` shows what Docker itself uses, and `docker image prune` removes its dangling images",
  );
}

/** A variable as Compose reads it: from the environment, else from .env, else `fallback` (`from` is then ""). */
function composeVariable(
  name: string,
  fallback: string,
  env: Record<string, string | undefined>,
  dotenv: string,
): { value: string; from: string } {
  const fromDotenv = parseEnv(dotenv)[name];
  if (env[name] !== undefined) return { value: env[name], from: name };
  if (fromDotenv !== undefined) return { value: fromDotenv, from: `${name} in .env` };
  return { value: fallback, from: "" };
}

/** The webapp's port on this machine: WEBAPP_HOST_PORT from the environment or .env, as Compose reads it, else 8080. */
export function webappHostPort(
  env: Record<string, string | undefined>,
  dotenv: string,
): { port: number; from: string } {
  const { value, from } = composeVariable("WEBAPP_HOST_PORT", "8080", env, dotenv);
  return { port: /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN, from };
}

/** The address docker-compose.yml publishes the webapp on: PUBLISH_ADDRESS, else 127.0.0.1 (this machine only). */
export function publishAddress(
  env: Record<string, string | undefined>,
  dotenv: string,
): { address: string; from: string } {
  const { value, from } = composeVariable("PUBLISH_ADDRESS", "127.0.0.1", env, dotenv);
  return { address: value.trim(), from };
}

/** Information only: a learner who opened the port to the network on purpose sees that it is open. */
export function describePublishAddress({ address, from }: { address: string; from: string }): string | undefined {
  if (address === "127.0.0.1" || address === "localhost") return undefined;
  const where = address === "0.0.0.0" ? "0.0.0.0, every address of this machine" : address;
  return `ℹ Webapp open to your network: published on ${where} (set by ${from}), so others on the same network can open it; remove PUBLISH_ADDRESS to keep it to this machine`;
}

/** A container that publishes a host port, and the Compose project it belongs to ("" when started with `docker run`). */
export interface Publisher {
  name: string;
  project: string;
}

/**
 * `error` is what listening on the port gave: undefined when it was free, else the error code (EADDRINUSE...).
 * `publisher` is a container that publishes the port: Docker refuses a second one even when no process
 * holds the port (as on Linux without the userland proxy), so it counts as taken either way.
 * `windows` is what Windows said about the port under WSL 2 (doctor-wsl.ts).
 */
export function checkPort(
  port: number,
  from: string,
  error: string | undefined,
  publisher?: Publisher,
  windows: WindowsPort = {},
): Check {
  const what = `Port ${port}`;
  const set = from ? `, set by ${from}` : "";
  if (Number.isNaN(port) || port > 65535) {
    return fail(
      "Webapp port",
      `${from} is not a port number`,
      "set WEBAPP_HOST_PORT to a whole number from 1 to 65535, or remove it to use 8080",
    );
  }
  if (port === 0)
    return pass(
      "Webapp port",
      `WEBAPP_HOST_PORT=0: Docker picks a free port, \`docker compose port webapp 5000\` shows it`,
    );
  const moveIt = `move the webapp to another port, e.g. \`export WEBAPP_HOST_PORT=${port === 8081 ? 8082 : 8081}\``;
  const elsewhere = `or ${moveIt}`;
  if (publisher) {
    const stop = publisher.project
      ? `stop that Compose project (\`docker compose -p ${publisher.project} down\`)`
      : `stop it (\`docker stop ${publisher.name}\`)`;
    return fail(what, `the container ${publisher.name} already publishes ${port}${set}`, `${stop} ${elsewhere}`);
  }
  if (error === "EADDRINUSE") {
    return fail(
      what,
      `another program already listens on ${port}${set}`,
      `stop it (\`lsof -i :${port}\` on macOS and Linux, \`netstat -ano | findstr :${port}\` on Windows, shows which) ${elsewhere}`,
    );
  }
  if (error) return fail(what, `cannot listen on ${port} (${error})${set}`, moveIt);
  const onWindows = describePortOnWindows(port, windows, { set, elsewhere });
  if (onWindows) return { ok: false, line: onWindows };
  return pass(`${what} free`, `the webapp will be at http://localhost:${port}${set}`);
}

/** Warnings (⚠) never fail the run, but the last line points back at them. */
export function summary(checks: readonly Check[], warnings = 0): { line: string; exitCode: number } {
  const problems = checks.filter((check) => !check.ok).length;
  const read = warnings === 0 ? "" : `${warnings} warning${warnings === 1 ? "" : "s"} (⚠) above`;
  if (problems === 0) {
    const ready = `All set: ${checks.length} checks passed, this machine is ready for the workshop`;
    return { line: read ? `${ready}; read the ${read}.` : `${ready}.`, exitCode: 0 };
  }
  const fix = `${problems} problem${problems === 1 ? "" : "s"} to fix before the workshop`;
  return { line: read ? `${fix}, and ${read} to read.` : `${fix}.`, exitCode: 1 };
}

/** What the checks need from the machine; the unit tests pass fakes. */
export interface Machine {
  nodeVersion: string;
  run: Run;
  freeBytes: (dir: string) => Promise<number>;
  /** Tries to listen on `host`:`port`; resolves to the error code, or undefined when it could. */
  listen: (port: number, host: string) => Promise<string | undefined>;
  env: Record<string, string | undefined>;
  dotenv: string;
  repoDir: string;
  /** Whether a path, relative to the repo, exists. */
  exists: (path: string) => boolean;
  /** /proc/version ("" where there is none): WSL's kernel names Microsoft. */
  procVersion: string;
}

/** Runs every check, printing each line as soon as it is known; returns the exit code. */
export async function doctor(machine: Machine, print: (line: string) => void): Promise<number> {
  const checks: Check[] = [];
  const report = (check: Check) => {
    checks.push(check);
    print(check.line);
    return check;
  };
  const wsl = detectWsl(machine.env, machine.procVersion);
  report(checkNode(machine.nodeVersion));
  const cli = report(await checkDockerCli(machine.run, wsl));
  const engineCheck = cli.ok ? await checkEngine(machine.run, machine.env) : undefined;
  const engine = engineCheck && report(engineCheck.check);
  if (cli.ok) report(await checkCompose(machine.run));
  else print("ℹ Docker engine and Compose v2: checked once the Docker CLI is installed");
  const free = await machine.freeBytes(machine.repoDir).catch(() => Number.NaN);
  report(checkDisk(free, machine.repoDir));

  const { port, from } = webappHostPort(machine.env, machine.dotenv);
  const address = publishAddress(machine.env, machine.dotenv);
  const usable = port > 0 && port <= 65535;
  const publisher = usable && engine?.ok ? await publisherOf(machine.run, port) : undefined;
  const error = usable ? await machine.listen(port, address.address) : undefined;
  const windows = wsl && usable ? await checkWindowsPort(machine.run, port, address.address) : undefined;
  report(checkPort(port, from, error, publisher, windows));
  const opened = describePublishAddress(address);
  if (opened) print(opened);

  let warnings = 0;
  const note = (line: string | undefined) => {
    if (!line) return;
    if (line.startsWith("⚠")) warnings += 1;
    print(line);
  };
  for (const line of engineCheck?.engine ? describeEngine(engineCheck.engine, machine.env) : []) note(line);
  if (wsl) {
    note(describePortUnderWsl(wsl, engineCheck?.engine?.name, usable ? port : undefined, windows));
    note(await describeNodeUnderWsl(machine.run));
  }
  if (engine?.ok) note(await describeReadiness(machine.run, machine.exists, machine.env));
  const { line, exitCode } = summary(checks, warnings);
  print(line);
  return exitCode;
}

/** A container that publishes `port` on this machine, if any. */
async function publisherOf(run: Run, port: number): Promise<Publisher | undefined> {
  const result = await run("docker", [
    "ps",
    "--filter",
    `publish=${port}`,
    "--format",
    '{{.Names}}\t{{.Label "com.docker.compose.project"}}',
  ]);
  const [name, project = ""] = firstLine(result.stdout).split("\t");
  return result.ok && name ? { name, project } : undefined;
}

// The real machine.

const runForReal: Run = (program, args) =>
  new Promise((resolve) => {
    execFile(program, args, { timeout: TIMEOUT_MS, encoding: "utf8" }, (error, stdout, stderr) => {
      const err = error as (Error & { code?: unknown; killed?: boolean }) | null;
      resolve({
        ok: !err,
        stdout: stdout.trim(),
        stderr: stderr.trim(),
        notFound: err?.code === "ENOENT",
        timedOut: Boolean(err?.killed),
      });
    });
  });

/**
 * Listens where Docker will publish the webapp (PUBLISH_ADDRESS, 127.0.0.1 by default), and closes again:
 * a program on 127.0.0.1 or on every address (0.0.0.0) blocks that, as it would block Docker.
 */
const listenForReal = (port: number, host: string) =>
  new Promise<string | undefined>((resolve) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ port, host }, () => server.close(() => resolve(undefined)));
  });

async function freeBytesForReal(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

if (isEntryPoint(import.meta)) {
  const repoDir = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");
  process.exitCode = await doctor(
    {
      nodeVersion: process.versions.node,
      run: runForReal,
      freeBytes: freeBytesForReal,
      listen: listenForReal,
      env: process.env,
      dotenv: readOrEmpty(join(repoDir, ".env")),
      repoDir,
      exists: (path) => existsSync(join(repoDir, path)),
      procVersion: readOrEmpty("/proc/version"),
    },
    (line) => console.log(line),
  );
}
