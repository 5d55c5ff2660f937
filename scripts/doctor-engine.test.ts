import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Run } from "./doctor.ts";
import { checkEngine } from "./doctor.ts";
import type { DockerInfo, DockerVersion } from "./doctor-engine.ts";
import { DEV_CONTAINER_LABEL, describeEngine } from "./doctor-engine.ts";

// Which engine the doctor names, and what it says about it, from the recorded
// `docker info` and `docker version` outputs in fixtures/engines.json, trimmed
// to the fields the doctor reads. Debian's was recorded on the CI machine; the
// others are rebuilt from outputs their users and docs publish (docker info
// pasted in issues and READMEs, Podman's compat API source). Each test runs
// the doctor's engine check on them.

interface Recorded {
  info: DockerInfo;
  version: DockerVersion;
}
const ENGINES = JSON.parse(readFileSync(new URL("./fixtures/engines.json", import.meta.url), "utf8")) as Record<
  string,
  Recorded
>;
const recordedEngine = (name: string): Recorded => {
  const recorded = ENGINES[name];
  if (!recorded) throw new Error(`no recorded engine ${name} in fixtures/engines.json`);
  return recorded;
};
const DEBIAN = recordedEngine("debian");
const DOCKER_DESKTOP_MAC = recordedEngine("docker-desktop-mac");
const DOCKER_DESKTOP_WSL2 = recordedEngine("docker-desktop-wsl2");
const ORBSTACK = recordedEngine("orbstack");
const RANCHER_DESKTOP_MAC = recordedEngine("rancher-desktop-mac");
const RANCHER_DESKTOP_WINDOWS = recordedEngine("rancher-desktop-windows");
const COLIMA = recordedEngine("colima");
const PODMAN_MACHINE = recordedEngine("podman-machine");
const DEV_CONTAINER = recordedEngine("dev-container");

/** The doctor's engine check on a recorded engine: the ✔ line and the ℹ/⚠ lines that follow it. */
async function examine(recorded: Recorded, env: Record<string, string | undefined> = {}) {
  const run: Run = async (program, args) => {
    const key = [program, ...args].join(" ");
    const stdout =
      key === "docker info --format {{json .}}"
        ? JSON.stringify(recorded.info)
        : key === "docker version --format {{json .}}"
          ? JSON.stringify(recorded.version)
          : undefined;
    if (stdout === undefined) throw new Error(`unexpected command: ${key}`);
    return { ok: true, stdout, stderr: "", notFound: false, timedOut: false };
  };
  const { check, engine } = await checkEngine(run, env);
  return { line: check.line, notes: engine ? describeEngine(engine, env) : [] };
}

describe("the engine the doctor names", () => {
  it.each([
    ["Docker Engine on Linux", DEBIAN, "26.1.5+dfsg1"],
    ["Docker Desktop", DOCKER_DESKTOP_MAC, "28.3.2"],
    ["Docker Desktop", DOCKER_DESKTOP_WSL2, "28.3.2"],
    ["OrbStack", ORBSTACK, "28.5.2"],
    ["Rancher Desktop", RANCHER_DESKTOP_MAC, "27.3.1"],
    ["Rancher Desktop", RANCHER_DESKTOP_WINDOWS, "27.3.1"],
    ["Colima", COLIMA, "27.4.0"],
    ["Podman", PODMAN_MACHINE, "5.2.2"],
    ["Docker Engine inside a dev container", DEV_CONTAINER, "26.1.5+dfsg1"],
  ])("names %s from its recorded output", async (name, recorded, server) => {
    const { line, notes } = await examine(recorded);
    expect(line).toBe(`✔ Docker engine running (${name}, server ${server})`);
    expect(notes[0]).toMatch(new RegExp(`^ℹ ${name}[ :(]`));
  });

  it("says a Linux engine shares the machine's CPUs and memory, naming the distribution", async () => {
    const { notes } = await examine(DEBIAN);
    expect(notes[0]).toBe(
      "ℹ Docker Engine on Linux (Debian GNU/Linux 13 (trixie)): containers run as processes of the Linux machine " +
        "that runs the engine, sharing its CPUs and memory",
    );
  });

  it("says arm64 is fine, because every base image is multi-arch", async () => {
    const { notes } = await examine(DOCKER_DESKTOP_MAC);
    expect(notes[1]).toBe(
      "ℹ CPU architecture: aarch64 (arm64), which is fine: " +
        "every base image is multi-arch, so Docker pulls its arm64 build",
    );
    expect((await examine(PODMAN_MACHINE)).notes[1]).toMatch(/^ℹ CPU architecture: arm64, which is fine/);
  });

  it("warns on an architecture the images may not be built for", async () => {
    const { notes } = await examine({ ...DEBIAN, info: { ...DEBIAN.info, Architecture: "riscv64" } });
    expect(notes[1]).toMatch(/^⚠ CPU architecture: riscv64: the workshop runs on amd64 and arm64.*Fix: /);
  });
});

describe("what the doctor says about the engine's CPUs and memory", () => {
  it("says when there is room for the workshop and for the Swarm lab", async () => {
    expect((await examine(DOCKER_DESKTOP_MAC)).notes[2]).toBe(
      "ℹ Engine resources: 8 CPUs and 7.7 GiB of memory, enough for the workshop (2 CPUs and 4 GiB) " +
        "and for the three-node Swarm lab of lesson 17 (5 GiB)",
    );
  });

  it("counts a VM given 4 GiB as enough for the workshop, and says the Swarm lab will need 5 GiB", async () => {
    expect((await examine(RANCHER_DESKTOP_MAC)).notes[2]).toBe(
      "ℹ Engine resources: 2 CPUs and 3.8 GiB of memory, enough for the workshop (2 CPUs and 4 GiB); " +
        "the three-node Swarm lab of lesson 17 will need 5 GiB",
    );
  });

  it("warns about Colima's default 2 GiB and says how to restart it with more", async () => {
    expect((await examine(COLIMA)).notes[2]).toBe(
      "⚠ Engine resources: 2 CPUs and 1.9 GiB of memory, less than the workshop needs (2 CPUs and 4 GiB): " +
        "image builds and the tests may be slow or killed (exit code 137). " +
        "Fix: `colima stop`, then `colima start --cpu 2 --memory 4`",
    );
  });

  it("warns about a single CPU even with plenty of memory, with the fix for that engine", async () => {
    const { notes } = await examine({ ...DOCKER_DESKTOP_MAC, info: { ...DOCKER_DESKTOP_MAC.info, NCPU: 1 } });
    expect(notes[2]).toMatch(
      /^⚠ Engine resources: 1 CPU and 7\.7 GiB of memory, less than .*Fix: raise them in Docker Desktop > Settings/,
    );
  });
});

describe("a proxy in the shell that the engine does not have", () => {
  it("warns, in any case of the variable's name, without printing its value", async () => {
    const { notes } = await examine(DEBIAN, {
      http_proxy: "http://ada:secret@proxy.corp:3128",
      HTTPS_PROXY: "http://proxy.corp:3128",
    });
    const proxy = notes.find((note) => note.startsWith("⚠ Proxy"));
    expect(proxy).toBe(
      "⚠ Proxy: your shell sets HTTP_PROXY and HTTPS_PROXY but the Docker engine has no proxy, " +
        "so on a network that only " +
        "lets traffic out through that proxy, pulling the base images and the `npm ci` in builds will fail. " +
        'Fix: add "proxies" to /etc/docker/daemon.json (for pulls) and to ~/.docker/config.json (for builds), ' +
        "then `sudo systemctl restart docker`",
    );
  });

  it("stays quiet when the engine has a proxy, as Docker Desktop's own always is", async () => {
    const { notes } = await examine(DOCKER_DESKTOP_MAC, { HTTPS_PROXY: "http://proxy.corp:3128" });
    expect(notes.some((note) => note.startsWith("⚠"))).toBe(false);
  });

  it("stays quiet when the shell sets no proxy, or an empty one", async () => {
    const { notes } = await examine(DEBIAN, { HTTP_PROXY: " ", NO_PROXY: "localhost" });
    expect(notes.some((note) => note.startsWith("⚠"))).toBe(false);
  });
});

describe("Podman through its Docker-compatible socket", () => {
  it("says what does not work as with Docker, each with its way around", async () => {
    const { notes } = await examine(PODMAN_MACHINE);
    expect(notes).toEqual([
      "ℹ Podman: the docker commands reach Podman through its Docker-compatible API, with the gaps below",
      "ℹ CPU architecture: arm64, which is fine: every base image is multi-arch, so Docker pulls its arm64 build",
      "ℹ Engine resources: 4 CPUs and 3.8 GiB of memory, enough for the workshop (2 CPUs and 4 GiB); " +
        "the three-node Swarm lab of lesson 17 will need 5 GiB",
      "⚠ Podman builds: `docker compose build` asks for BuildKit, which Podman does not provide. " +
        "Fix: `export DOCKER_BUILDKIT=0` before building: " +
        "Compose then uses the classic build API, which Podman serves with Buildah",
      "⚠ Podman and Swarm: lesson 13 runs `docker swarm init`, and Podman has no Swarm mode. " +
        "Fix: run lesson 13 on Docker Desktop or Docker Engine, or read it without running it",
      "⚠ Podman and the tests: testcontainers (lesson 9) finds Podman only through DOCKER_HOST " +
        "or /var/run/docker.sock, " +
        "not through a Docker context. Fix: on macOS " +
        "`export DOCKER_HOST=unix://$(podman machine inspect --format '{{.ConnectionInfo.PodmanSocket.Path}}')`, " +
        "on Linux `export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock`",
      "⚠ Podman and the tests: testcontainers' reaper (Ryuk) cannot run on rootless Podman. " +
        "Fix: `export TESTCONTAINERS_RYUK_DISABLED=true` before the tests; they remove their own containers",
    ]);
  });

  it("drops the test warnings once DOCKER_HOST points at Podman and Ryuk is off", async () => {
    const env = { DOCKER_HOST: "unix:///run/user/1000/podman/podman.sock", TESTCONTAINERS_RYUK_DISABLED: "true" };
    const { notes } = await examine(PODMAN_MACHINE, env);
    expect(notes.filter((note) => note.startsWith("⚠ Podman and the tests"))).toEqual([]);
    expect(notes.filter((note) => note.startsWith("⚠"))).toHaveLength(2); // builds and Swarm still differ
  });
});

describe("the dev container's own engine (.devcontainer/)", () => {
  it("knows it by the label its entrypoint starts dockerd with", () => {
    const entrypoint = readFileSync(new URL("../.devcontainer/start-docker.sh", import.meta.url), "utf8");
    expect(entrypoint).toMatch(new RegExp(`^dockerd .*--label ${DEV_CONTAINER_LABEL}\\b`, "m"));
    expect(DEV_CONTAINER.info.Labels).toEqual([DEV_CONTAINER_LABEL]);
  });

  it("says where the engine runs and how ports reach the browser, not the Linux it reports", async () => {
    const { notes } = await examine(DEV_CONTAINER);
    expect(notes[0]).toBe(
      "ℹ Docker Engine inside a dev container: the engine runs in this container, beside your terminal, " +
        "and its containers share the CPUs and memory the dev container has; `localhost` is the container's own, " +
        "and VS Code or Codespaces forwards the ports the lessons publish (8080...) to your browser",
    );
  });

  it("is the same Debian engine as on Linux without the label", async () => {
    const { line } = await examine({ ...DEV_CONTAINER, info: { ...DEV_CONTAINER.info, Labels: [] } });
    expect(line).toBe("✔ Docker engine running (Docker Engine on Linux, server 26.1.5+dfsg1)");
  });

  it("on too small a codespace, says to change its machine type", async () => {
    const { notes } = await examine({ ...DEV_CONTAINER, info: { ...DEV_CONTAINER.info, NCPU: 1 } });
    expect(notes[2]).toMatch(
      /^⚠ Engine resources: 1 CPU and 23\.5 GiB .*Fix: in Codespaces, pick a bigger machine type/,
    );
  });

  it("says a proxy goes into the container's environment, where its engine starts", async () => {
    const { notes } = await examine(DEV_CONTAINER, { HTTPS_PROXY: "http://proxy.corp:3128" });
    expect(notes.find((note) => note.startsWith("⚠ Proxy"))).toMatch(
      /Fix: add HTTP_PROXY, HTTPS_PROXY and NO_PROXY under "containerEnv" in \.devcontainer\/devcontainer\.json/,
    );
  });
});

describe("Colima and the tests", () => {
  it("says testcontainers needs DOCKER_HOST when the CLI reaches Colima through its context", async () => {
    const { notes } = await examine(COLIMA);
    expect(notes.at(-1)).toBe(
      "⚠ Colima and the tests: testcontainers (lesson 9) finds Colima's socket only through DOCKER_HOST, " +
        "and its reaper needs the socket's path in the VM. Fix: " +
        "`export DOCKER_HOST=unix://$HOME/.colima/default/docker.sock " +
        "TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE=/var/run/docker.sock`",
    );
  });

  it("says nothing more once both variables are set", async () => {
    const env = {
      DOCKER_HOST: "unix:///Users/ada/.colima/default/docker.sock",
      TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE: "/var/run/docker.sock",
    };
    const { notes } = await examine(COLIMA, env);
    expect(notes.some((note) => note.startsWith("⚠ Colima"))).toBe(false);
  });
});
