import { describe, expect, it } from "vitest";
import type { Machine, Run, RunResult } from "./doctor.ts";
import { doctor, webappHostPort } from "./doctor.ts";
import { DEBIAN } from "./recorded-engines.ts";

// The preflight a learner runs before the workshop, against a fake machine:
// each test sets up one thing that is wrong and checks the line that says
// what to fix.

const answered = (stdout: string): RunResult => ({ ok: true, stdout, stderr: "", notFound: false, timedOut: false });
const failed = (stderr: string, extra: Partial<RunResult> = {}): RunResult => ({
  ok: false,
  stdout: "",
  stderr,
  notFound: false,
  timedOut: false,
  ...extra,
});

const INFO = "docker info --format {{json .}}";

const psPublishing = (port: number) =>
  `docker ps --filter publish=${port} --format {{.Names}}\t{{.Label "com.docker.compose.project"}}`;

/** A machine with Docker, Compose v2, space and a free port 8080; `answers` overrides single commands. */
function healthyMachine(overrides: Partial<Machine> = {}, answers: Record<string, RunResult> = {}): Machine {
  const defaults: Record<string, RunResult> = {
    "docker --version": answered("Docker version 28.2.2, build e6534b4"),
    [INFO]: answered(JSON.stringify(DEBIAN.info)),
    "docker version --format {{json .}}": answered(JSON.stringify(DEBIAN.version)),
    "docker compose version --short": answered("2.39.1"),
    "docker-compose version --short": failed("", { notFound: true }),
    "docker image inspect --format {{.Id}} node:26-trixie-slim": answered("sha256:1"),
    "docker image inspect --format {{.Id}} postgres:17-trixie": failed("No such image"),
  };
  const run: Run = async (program, args) => {
    const key = [program, ...args].join(" ");
    // No container publishes a port unless a test says so.
    const result =
      answers[key] ?? defaults[key] ?? (key.startsWith("docker ps --filter publish=") ? answered("") : undefined);
    if (!result) throw new Error(`unexpected command: ${key}`);
    return result;
  };
  return {
    nodeVersion: "26.1.0",
    run,
    freeBytes: async () => 40e9,
    listen: async () => undefined,
    env: {},
    dotenv: "",
    repoDir: "/home/learner/stockroom",
    ...overrides,
  };
}

async function runDoctor(machine: Machine): Promise<{ exitCode: number; lines: string[] }> {
  const lines: string[] = [];
  const exitCode = await doctor(machine, (line) => lines.push(line));
  return { exitCode, lines };
}

describe("npm run doctor", () => {
  it("passes a ready machine with one line per check and says all is set", async () => {
    const { exitCode, lines } = await runDoctor(healthyMachine());
    expect(exitCode).toBe(0);
    expect(lines).toEqual([
      "✔ Node.js (v26.1.0)",
      "✔ Docker CLI installed (Docker version 28.2.2, build e6534b4)",
      "✔ Docker engine running (Docker Engine on Linux, server 26.1.5+dfsg1)",
      "✔ Docker Compose v2 (2.39.1)",
      "✔ Free disk space (40.0 GB free)",
      "✔ Port 8080 free (the webapp will be at http://localhost:8080)",
      "ℹ Docker Engine on Linux (Debian GNU/Linux 13 (trixie)): containers run as processes of the Linux machine " +
        "that runs the engine, sharing its CPUs and memory",
      "ℹ CPU architecture: x86_64 (amd64)",
      "ℹ Engine resources: 2 CPUs and 23.5 GiB of memory, enough for the workshop (2 CPUs and 4 GiB) " +
        "and for the three-node Swarm lab of lesson 17 (5 GiB)",
      "ℹ Base images: node:26-trixie-slim present, postgres:17-trixie will be pulled on first build",
      "All set: 6 checks passed, this machine is ready for the workshop.",
    ]);
  });

  it("fails on a Node.js older than 24 and says how to install a newer one", async () => {
    const { exitCode, lines } = await runDoctor(healthyMachine({ nodeVersion: "22.11.0" }));
    expect(exitCode).toBe(1);
    expect(lines[0]).toMatch(
      /^✘ Node.js: v22.11.0 is too old, the workshop needs 24 or newer\. Fix: install Node.js 24/,
    );
    expect(lines.at(-1)).toBe("1 problem to fix before the workshop.");
  });

  it("says to install Docker when the CLI is missing, and skips the checks that need it", async () => {
    const { exitCode, lines } = await runDoctor(
      healthyMachine({}, { "docker --version": failed("", { notFound: true }) }),
    );
    expect(exitCode).toBe(1);
    expect(lines[1]).toMatch(/^✘ Docker CLI: `docker` is not on your PATH\. Fix: install Docker Desktop/);
    expect(lines[2]).toBe("ℹ Docker engine and Compose v2: checked once the Docker CLI is installed");
    expect(lines.some((line) => line.startsWith("ℹ Base images"))).toBe(false);
  });

  it("says to start the engine when the daemon is not running", async () => {
    const { exitCode, lines } = await runDoctor(
      healthyMachine(
        {},
        {
          [INFO]: failed(
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
          ),
        },
      ),
    );
    expect(exitCode).toBe(1);
    expect(lines[2]).toBe(
      "✘ Docker engine: not running (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?). " +
        "Fix: Start Docker Desktop, or on Linux `sudo systemctl start docker`; then run `docker info`",
    );
  });

  it("tells a Linux user without access to the socket to join the docker group", async () => {
    const { lines } = await runDoctor(
      healthyMachine({}, { [INFO]: failed("permission denied while trying to connect to the Docker daemon socket") }),
    );
    expect(lines[2]).toMatch(
      /^✘ Docker engine: you may not use it \(permission denied on the Docker socket\)\. Fix: .*usermod -aG docker/,
    );
  });

  it("says the engine is stuck when docker info does not answer in time", async () => {
    const { lines } = await runDoctor(healthyMachine({}, { [INFO]: failed("", { timedOut: true }) }));
    expect(lines[2]).toMatch(/^✘ Docker engine: `docker info` got no answer within 10 s.*Fix: restart Docker Desktop/);
  });

  it("names a DOCKER_HOST that does not answer, and how to go back to the Docker context", async () => {
    const { exitCode, lines } = await runDoctor(
      healthyMachine(
        { env: { DOCKER_HOST: "unix:///Users/ada/.colima/default/docker.sock" } },
        {
          [INFO]: failed(
            "Cannot connect to the Docker daemon at unix:///Users/ada/.colima/default/docker.sock. " +
              "Is the docker daemon running?",
          ),
        },
      ),
    );
    expect(exitCode).toBe(1);
    expect(lines[2]).toBe(
      "✘ Docker engine: DOCKER_HOST=unix:///Users/ada/.colima/default/docker.sock does not answer " +
        "(Cannot connect to the Docker daemon at unix:///Users/ada/.colima/default/docker.sock. " +
        "Is the docker daemon running?). " +
        "Fix: start the engine it points to, or `unset DOCKER_HOST` (and remove it from your shell profile) " +
        "to use the current Docker context; `docker context ls` lists them",
    );
    expect(lines.some((line) => line.startsWith("ℹ Docker Engine on Linux"))).toBe(false);
  });

  it("fails an engine in Windows containers mode and says how to switch to Linux containers", async () => {
    const windowsInfo = { ...DEBIAN.info, OSType: "windows", OperatingSystem: "Microsoft Windows Server Version 24H2" };
    const { exitCode, lines } = await runDoctor(healthyMachine({}, { [INFO]: answered(JSON.stringify(windowsInfo)) }));
    expect(exitCode).toBe(1);
    expect(lines[2]).toMatch(
      /^✘ Docker engine: it runs Windows containers, and the workshop's images are Linux ones\. Fix: .*Linux/,
    );
  });

  it("warns about a proxy the engine lacks without failing, and the last line points at the warning", async () => {
    const { exitCode, lines } = await runDoctor(
      healthyMachine({ env: { https_proxy: "http://ada:secret@proxy.corp:3128" } }),
    );
    expect(exitCode).toBe(0);
    const warning = lines.find((line) => line.startsWith("⚠ Proxy"));
    expect(warning).toMatch(
      /^⚠ Proxy: your shell sets HTTPS_PROXY but the Docker engine has no proxy, .*Fix: add "proxies" to /,
    );
    expect(warning).not.toContain("secret");
    expect(lines.at(-1)).toBe(
      "All set: 6 checks passed, this machine is ready for the workshop; read the 1 warning (⚠) above.",
    );
  });

  it("rejects Compose v1 (docker-compose) and says how to get the v2 plugin", async () => {
    const { exitCode, lines } = await runDoctor(
      healthyMachine(
        {},
        {
          "docker compose version --short": failed("docker: 'compose' is not a docker command."),
          "docker-compose version --short": answered("1.29.2"),
        },
      ),
    );
    expect(exitCode).toBe(1);
    expect(lines[3]).toMatch(
      /^✘ Docker Compose v2: only docker-compose 1\.29\.2 \(Compose v1\) is installed, and v1 is not supported\. Fix: update Docker Desktop/,
    );
  });

  it("fails with less than 5 GB free and points at docker system df", async () => {
    const { exitCode, lines } = await runDoctor(healthyMachine({ freeBytes: async () => 2.5e9 }));
    expect(exitCode).toBe(1);
    expect(lines[4]).toMatch(
      /^✘ Free disk space: only 2\.5 GB free on the disk that holds \/home\/learner\/stockroom.*`docker system df`/,
    );
  });

  it("names the Compose project that publishes port 8080 and how to stop it", async () => {
    const { exitCode, lines } = await runDoctor(
      healthyMachine(
        { listen: async () => "EADDRINUSE" },
        { [psPublishing(8080)]: answered("stockroom-webapp-1\tstockroom") },
      ),
    );
    expect(exitCode).toBe(1);
    expect(lines[5]).toBe(
      "✘ Port 8080: the container stockroom-webapp-1 already publishes 8080. Fix: stop that Compose project " +
        "(`docker compose -p stockroom down`) or set WEBAPP_HOST_PORT in .env to another port, e.g. 8081",
    );
  });

  it("counts a port another container publishes as taken even when nothing listens on it", async () => {
    const { exitCode, lines } = await runDoctor(
      healthyMachine({ listen: async () => undefined }, { [psPublishing(8080)]: answered("my-proxy\t") }),
    );
    expect(exitCode).toBe(1);
    expect(lines[5]).toBe(
      "✘ Port 8080: the container my-proxy already publishes 8080. Fix: stop it (`docker stop my-proxy`) " +
        "or set WEBAPP_HOST_PORT in .env to another port, e.g. 8081",
    );
  });

  it("says how to find a program outside Docker that holds the port", async () => {
    const { lines } = await runDoctor(healthyMachine({ listen: async () => "EADDRINUSE" }));
    expect(lines[5]).toBe(
      "✘ Port 8080: another program already listens on 8080. Fix: stop it (`lsof -i :8080` on macOS and Linux, " +
        "`netstat -ano | findstr :8080` on Windows, shows which) or set WEBAPP_HOST_PORT in .env to another port, e.g. 8081",
    );
  });

  it("checks the port the learner chose in .env instead of 8080", async () => {
    const checked: number[] = [];
    const { lines } = await runDoctor(
      healthyMachine({
        dotenv: "# mine\nWEBAPP_HOST_PORT=8081\n",
        listen: async (port) => {
          checked.push(port);
          return undefined;
        },
      }),
    );
    expect(checked).toEqual([8081]);
    expect(lines[5]).toBe(
      "✔ Port 8081 free (the webapp will be at http://localhost:8081, set by WEBAPP_HOST_PORT in .env)",
    );
  });

  it("checks the port on 127.0.0.1, where Compose publishes it, unless PUBLISH_ADDRESS opens it up", async () => {
    const hosts: string[] = [];
    const listen = async (_port: number, host: string) => {
      hosts.push(host);
      return undefined;
    };
    const closed = await runDoctor(healthyMachine({ listen }));
    const opened = await runDoctor(healthyMachine({ listen, dotenv: "PUBLISH_ADDRESS=0.0.0.0\n" }));
    expect(hosts).toEqual(["127.0.0.1", "0.0.0.0"]);
    expect(closed.lines.join("\n")).not.toContain("open to your network");
    expect(opened.exitCode).toBe(0);
    expect(opened.lines[6]).toBe(
      "ℹ Webapp open to your network: published on 0.0.0.0, every address of this machine (set by PUBLISH_ADDRESS in .env), " +
        "so others on the same network can open it; remove PUBLISH_ADDRESS to keep it to this machine",
    );
  });

  it("fails on a WEBAPP_HOST_PORT that is not a port number, naming where it was set", async () => {
    const { exitCode, lines } = await runDoctor(healthyMachine({ env: { WEBAPP_HOST_PORT: "eighty" } }));
    expect(exitCode).toBe(1);
    expect(lines[5]).toBe(
      "✘ Webapp port: WEBAPP_HOST_PORT is not a port number. Fix: set WEBAPP_HOST_PORT to a whole number from 1 to 65535, or remove it to use 8080",
    );
  });

  it("counts problems and warnings apart in the last line", async () => {
    const { lines } = await runDoctor(
      healthyMachine({ nodeVersion: "22.0.0", env: { HTTP_PROXY: "http://proxy:3128" } }),
    );
    expect(lines.at(-1)).toBe("1 problem to fix before the workshop, and 1 warning (⚠) above to read.");
  });

  it("counts every problem in the last line", async () => {
    const { lines } = await runDoctor(
      healthyMachine({ nodeVersion: "20.0.0", freeBytes: async () => 1e9, listen: async () => "EADDRINUSE" }),
    );
    expect(lines.at(-1)).toBe("3 problems to fix before the workshop.");
  });
});

describe("webappHostPort", () => {
  it("prefers the environment over .env, as Compose does", () => {
    expect(webappHostPort({ WEBAPP_HOST_PORT: "9000" }, "WEBAPP_HOST_PORT=8081")).toEqual({
      port: 9000,
      from: "WEBAPP_HOST_PORT",
    });
  });

  it("reads a quoted value with a trailing comment from .env", () => {
    expect(webappHostPort({}, 'WEBAPP_HOST_PORT="8082" # for the workshop\n')).toEqual({
      port: 8082,
      from: "WEBAPP_HOST_PORT in .env",
    });
  });

  it("defaults to 8080", () => {
    expect(webappHostPort({}, "OTHER=1")).toEqual({ port: 8080, from: "" });
  });
});
