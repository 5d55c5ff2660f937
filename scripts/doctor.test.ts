import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Machine, Run, RunResult } from "./doctor.ts";
import { doctor, webappHostPort } from "./doctor.ts";
import { WORKSHOP_IMAGES } from "./workshop-prepare.ts";

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
const VERSION = "docker version --format {{json .}}";
const inspect = (image: string) => `docker image inspect --format {{.Id}} ${image}`;

/** `docker info` and `docker version` as the engines printed them (fixtures/engines.json). */
const ENGINES = JSON.parse(readFileSync(new URL("./fixtures/engines.json", import.meta.url), "utf8"));
const DEBIAN = ENGINES.debian;
const WINDOWS = JSON.parse(readFileSync(new URL("./fixtures/windows.json", import.meta.url), "utf8"));
const DEBIAN_KERNEL =
  "Linux version 6.12.48+deb13-amd64 (debian-kernel@lists.debian.org) (gcc-14 (Debian 14.2.0-19) 14.2.0)";

const psPublishing = (port: number) =>
  `docker ps --filter publish=${port} --format {{.Names}}\t{{.Label "com.docker.compose.project"}}`;

/**
 * A Linux machine with Docker, Compose v2, space, a free port 8080 and what `npm run workshop:prepare`
 * leaves: every image, node_modules and lesson 9's build. `answers` overrides single commands.
 */
function healthyMachine(overrides: Partial<Machine> = {}, answers: Record<string, RunResult> = {}): Machine {
  const defaults: Record<string, RunResult> = {
    "docker --version": answered("Docker version 28.2.2, build e6534b4"),
    [INFO]: answered(JSON.stringify(DEBIAN.info)),
    [VERSION]: answered(JSON.stringify(DEBIAN.version)),
    "docker compose version --short": answered("2.39.1"),
    "docker-compose version --short": failed("", { notFound: true }),
    ...Object.fromEntries(WORKSHOP_IMAGES.map(({ image }) => [inspect(image), answered("sha256:1")])),
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
    exists: () => true,
    procVersion: DEBIAN_KERNEL,
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
      "ℹ Offline: ready for lessons 1-18 without a network " +
        "(9 images, the dependencies and lesson 9's build are here)",
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
    expect(lines.some((line) => line.includes("Offline"))).toBe(false);
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
        "(`docker compose -p stockroom down`) or move the webapp to another port, e.g. `export WEBAPP_HOST_PORT=8081`",
    );
  });

  it("counts a port another container publishes as taken even when nothing listens on it", async () => {
    const { exitCode, lines } = await runDoctor(
      healthyMachine({ listen: async () => undefined }, { [psPublishing(8080)]: answered("my-proxy\t") }),
    );
    expect(exitCode).toBe(1);
    expect(lines[5]).toBe(
      "✘ Port 8080: the container my-proxy already publishes 8080. Fix: stop it (`docker stop my-proxy`) " +
        "or move the webapp to another port, e.g. `export WEBAPP_HOST_PORT=8081`",
    );
  });

  it("says how to find a program outside Docker that holds the port", async () => {
    const { lines } = await runDoctor(healthyMachine({ listen: async () => "EADDRINUSE" }));
    expect(lines[5]).toBe(
      "✘ Port 8080: another program already listens on 8080. Fix: stop it (`lsof -i :8080` on macOS and Linux, " +
        "`netstat -ano | findstr :8080` on Windows, shows which) or move the webapp to another port, e.g. `export WEBAPP_HOST_PORT=8081`",
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

describe("npm run doctor on what npm run workshop:prepare left", () => {
  it("warns, naming what is missing, and points at npm run workshop:prepare", async () => {
    const { exitCode, lines } = await runDoctor(
      healthyMachine(
        { exists: (path) => !path.startsWith("apps/webapp/") },
        {
          [inspect("postgres:17-trixie")]: failed("Error: No such image: postgres:17-trixie"),
          [inspect("nginx:1-trixie")]: failed("Error: No such image: nginx:1-trixie"),
        },
      ),
    );
    expect(exitCode).toBe(0);
    expect(lines.at(-2)).toBe(
      "⚠ Offline: not ready for lessons 1-18 without a network, missing postgres:17-trixie, nginx:1-trixie " +
        "and lesson 9's build (apps/webapp/dist). Fix: `npm run workshop:prepare`, before the day and on a good network",
    );
    expect(lines.at(-1)).toBe(
      "All set: 6 checks passed, this machine is ready for the workshop; read the 1 warning (⚠) above.",
    );
  });

  it("names missing dependencies, and leaves out Ryuk where testcontainers will not start it", async () => {
    const { lines } = await runDoctor(
      healthyMachine(
        { exists: (path) => !path.startsWith("node_modules/"), env: { TESTCONTAINERS_RYUK_DISABLED: "true" } },
        { [inspect("testcontainers/ryuk:0.14.0")]: failed("Error: No such image: testcontainers/ryuk:0.14.0") },
      ),
    );
    expect(lines.at(-2)).toBe(
      "⚠ Offline: not ready for lessons 1-18 without a network, missing the dependencies (node_modules). " +
        "Fix: `npm run workshop:prepare`, before the day and on a good network",
    );
  });
});

describe("npm run doctor under WSL 2", () => {
  const NETSTAT = "netstat.exe -ano -p TCP";
  const NETSH = "netsh.exe interface ipv4 show excludedportrange protocol=tcp";
  const recorded = (lines: string[]) => answered(lines.join("\r\n"));
  const wslMachine = (answers: Record<string, RunResult> = {}, overrides: Partial<Machine> = {}) =>
    healthyMachine(
      {
        env: { WSL_DISTRO_NAME: "Ubuntu", WSL_INTEROP: "/run/WSL/312_interop" },
        procVersion: WINDOWS["/proc/version"],
        ...overrides,
      },
      {
        [INFO]: answered(JSON.stringify(ENGINES["docker-desktop-wsl2"].info)),
        [VERSION]: answered(JSON.stringify(ENGINES["docker-desktop-wsl2"].version)),
        [NETSH]: recorded(WINDOWS[NETSH]["8080 free"]),
        [NETSTAT]: recorded(WINDOWS[NETSTAT]["8080 free"]),
        "which npm": answered("/home/ada/.nvm/versions/node/v26.1.0/bin/npm"),
        "which node": answered("/home/ada/.nvm/versions/node/v26.1.0/bin/node"),
        ...answers,
      },
    );

  it("checks port 8080 on Windows, where Docker Desktop publishes it, and says so", async () => {
    const { exitCode, lines } = await runDoctor(wslMachine());
    expect(exitCode).toBe(0);
    expect(lines[5]).toBe("✔ Port 8080 free (the webapp will be at http://localhost:8080)");
    expect(lines).toContain(
      "ℹ WSL 2 (Ubuntu): Docker Desktop publishes port 8080 on Windows, not inside WSL, " +
        "so the doctor checked it on Windows too; open http://localhost:8080 in a Windows browser",
    );
  });

  it("fails when a Windows program holds 8080, or Windows keeps it in an excluded range", async () => {
    const holder = await runDoctor(
      wslMachine({
        [NETSTAT]: recorded(WINDOWS[NETSTAT]["node.exe on 8080"]),
        "tasklist.exe /FI PID eq 14320 /FO CSV /NH": recorded(WINDOWS["tasklist.exe /FI PID eq 14320 /FO CSV /NH"]),
      }),
    );
    expect(holder.exitCode).toBe(1);
    expect(holder.lines[5]).toMatch(
      /^✘ Port 8080: the Windows program node\.exe \(PID 14320\) already listens on 8080/,
    );
    const reserved = await runDoctor(wslMachine({ [NETSH]: recorded(WINDOWS[NETSH]["8039-8138 reserved"]) }));
    expect(reserved.exitCode).toBe(1);
    expect(reserved.lines[5]).toMatch(/^✘ Port 8080: Windows keeps ports 8039-8138 for itself .*`net stop winnat`/);
  });

  it("warns about Windows' npm on the PATH, without failing", async () => {
    const { exitCode, lines } = await runDoctor(
      wslMachine({ "which npm": answered("/mnt/c/Program Files/nodejs/npm") }),
    );
    expect(exitCode).toBe(0);
    expect(lines).toContainEqual(expect.stringMatching(/^⚠ WSL: npm is Windows' .*Fix: install Node\.js inside WSL/));
    expect(lines.at(-1)).toMatch(/read the 1 warning \(⚠\) above\.$/);
  });

  it("says to turn on Docker Desktop's WSL integration when its stand-in docker answers", async () => {
    const stub =
      "The command 'docker' could not be found in this WSL 2 distro.\n" +
      "We recommend to activate the WSL integration in Docker Desktop settings.";
    const { exitCode, lines } = await runDoctor(wslMachine({ "docker --version": { ...failed(""), stdout: stub } }));
    expect(exitCode).toBe(1);
    expect(lines[1]).toBe(
      "✘ Docker CLI: `docker` could not be found in this WSL 2 distro: Docker Desktop's WSL integration is off for it. " +
        "Fix: in Docker Desktop (install it on Windows if it is not there), Settings > Resources > WSL integration, " +
        "turn on Ubuntu, Apply & restart, then open a new terminal",
    );
  });

  it("runs no Windows command and says nothing of WSL on plain Linux", async () => {
    const asked: string[] = [];
    const machine = healthyMachine();
    const { lines } = await runDoctor({
      ...machine,
      run: (program, args) => {
        asked.push(program);
        return machine.run(program, args);
      },
    });
    expect(asked.filter((program) => program !== "docker" && program !== "docker-compose")).toEqual([]);
    expect(lines.join("\n")).not.toMatch(/WSL|Windows/);
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
