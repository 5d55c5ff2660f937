// What `npm run doctor` says about the Docker engine once it answers: which
// engine it is, what that means for the workshop, and the setups that only
// break later (a proxy the engine does not know, Podman's gaps, too little
// memory). The facts come from `docker info` and `docker version` as JSON.
//
// How each engine gives itself away, from the outputs these tools publish
// (Podman's from its compat API source, pkg/api/handlers/compat):
//   Docker Desktop   OperatingSystem "Docker Desktop", Name "docker-desktop",
//                    Server.Platform.Name "Docker Desktop 4.x.y (build)"
//   OrbStack         OperatingSystem "OrbStack", Name "orbstack"
//   Rancher Desktop  Name "lima-rancher-desktop" (macOS, Linux);
//                    OperatingSystem "Rancher Desktop WSL Distribution" (Windows)
//   Colima           Name "colima" or "colima-<profile>": the VM's hostname
//   Podman           a "Podman Engine" component in `docker version`; its
//                    `docker info` looks like any Linux distribution's
//   a dev container  the label stockroom.dev-container=true, which this
//                    repository's .devcontainer/start-docker.sh gives dockerd
//   anything else    Docker Engine on Linux, named with its OperatingSystem
// Plain Node.js, no dependencies, like the doctor itself.

/** The fields of `docker info --format '{{json .}}'` the doctor reads (JSON names, not the text output's). */
export interface DockerInfo {
  ServerVersion?: string;
  OperatingSystem?: string;
  OSType?: string;
  Name?: string;
  Labels?: string[] | null;
  Architecture?: string;
  NCPU?: number;
  MemTotal?: number;
  HttpProxy?: string;
  HttpsProxy?: string;
  SecurityOptions?: string[] | null;
  /** The CLI's side: "default" means DOCKER_HOST or the platform's default socket, not a context of its own. */
  ClientInfo?: { Context?: string };
}

/** The fields of `docker version --format '{{json .}}'` the doctor reads. */
export interface DockerVersion {
  Server?: { Platform?: { Name?: string }; Components?: { Name?: string }[] | null } | null;
}

export type EngineName =
  | "Docker Desktop"
  | "OrbStack"
  | "Rancher Desktop"
  | "Colima"
  | "Podman"
  | "Docker Engine inside a dev container"
  | "Docker Engine on Linux";

export interface Engine {
  name: EngineName;
  info: DockerInfo;
}

type Env = Record<string, string | undefined>;

/** What the workshop needs from the engine: a conservative figure for builds and the test suite, not a measurement. */
export const WORKSHOP_CPUS = 2;
export const WORKSHOP_MEMORY_GIB = 4;
/**
 * The Swarm lab (lesson 17): three Docker-in-Docker nodes and a registry took
 * about 750 MiB running the stack (docker stats), on top of what the workshop
 * needs: 5 GiB in all.
 */
export const SWARM_LAB_MEMORY_GIB = 5;
const GIB = 2 ** 30;
/** A VM given 4 GiB reports 3.6 to 3.9 GiB (its kernel keeps the rest), so compare against a little less. */
const reportedFor = (gib: number) => gib * 0.875 * GIB;

export function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** The engine label .devcontainer/start-docker.sh starts dockerd with. */
export const DEV_CONTAINER_LABEL = "stockroom.dev-container=true";

export function nameEngine(info: DockerInfo, version: DockerVersion | undefined): EngineName {
  const components = version?.Server?.Components ?? [];
  if (components.some((component) => /podman/i.test(component.Name ?? ""))) return "Podman";
  // The engine's own label, not the shell's environment: it names the engine that answered, even
  // when a terminal outside the dev container points DOCKER_HOST at it, or one inside points elsewhere.
  if ((info.Labels ?? []).includes(DEV_CONTAINER_LABEL)) return "Docker Engine inside a dev container";
  const os = info.OperatingSystem ?? "";
  const host = info.Name ?? "";
  const labels = (info.Labels ?? []).join(" ");
  const platform = version?.Server?.Platform?.Name ?? "";
  if (os === "Docker Desktop" || platform.startsWith("Docker Desktop") || labels.includes("com.docker.desktop.")) {
    return "Docker Desktop";
  }
  if (/orbstack/i.test(`${os} ${host}`)) return "OrbStack";
  if (/rancher[- ]desktop/i.test(`${os} ${host} ${labels}`)) return "Rancher Desktop";
  if (/^colima(-|$)/.test(host)) return "Colima";
  if (/podman/i.test(`${os} ${host}`)) return "Podman";
  return "Docker Engine on Linux";
}

/** What each engine means for the workshop, in one line. */
function meaning(engine: Engine): string {
  switch (engine.name) {
    case "Docker Desktop":
      return "containers run in its Linux VM, with the CPUs and memory of Settings > Resources";
    case "OrbStack":
      return "containers run in its Linux VM, which takes memory as it needs it, up to the limit in its Settings";
    case "Rancher Desktop":
      return "its dockerd (moby) runs containers in its VM, with the CPUs and memory of Preferences > Virtual Machine";
    case "Colima":
      return (
        "Docker Engine in a Lima VM, with the CPUs and memory given to `colima start`; " +
        "a published port can take a few seconds to answer"
      );
    case "Podman":
      return "the docker commands reach Podman through its Docker-compatible API, with the gaps below";
    case "Docker Engine inside a dev container":
      return (
        "the engine runs in this container, beside your terminal, and its containers share the CPUs and memory " +
        "the dev container has; `localhost` is the container's own, and VS Code or Codespaces forwards the " +
        "ports the lessons publish (8080...) to your browser"
      );
    case "Docker Engine on Linux":
      return "containers run as processes of the Linux machine that runs the engine, sharing its CPUs and memory";
  }
}

/** How to give each engine more CPUs and memory. */
const MORE_RESOURCES: Record<EngineName, string> = {
  "Docker Desktop":
    "raise them in Docker Desktop > Settings > Resources (with the WSL 2 backend, in %UserProfile%\\.wslconfig)",
  OrbStack: "raise the memory limit in OrbStack > Settings > System",
  "Rancher Desktop":
    "raise them in Rancher Desktop > Preferences > Virtual Machine (on Windows, in %UserProfile%\\.wslconfig)",
  Colima: `\`colima stop\`, then \`colima start --cpu ${WORKSHOP_CPUS} --memory ${WORKSHOP_MEMORY_GIB}\``,
  Podman:
    "`podman machine stop`, " +
    `\`podman machine set --cpus ${WORKSHOP_CPUS} --memory ${WORKSHOP_MEMORY_GIB * 1024}\`, \`podman machine start\``,
  "Docker Engine inside a dev container":
    "in Codespaces, pick a bigger machine type (Change machine type, in the codespace's menu on github.com); " +
    "on your own machine, give the engine that runs the dev container more (Docker Desktop > Settings > Resources)",
  "Docker Engine on Linux":
    "this machine itself has too little: close other programs, or use a bigger machine for the workshop",
};

/** How to give the engine the shell's proxy: Docker documents these two; the other engines vary by version. */
function proxyFix(name: EngineName): string {
  if (name === "Docker Desktop") return "set the proxy in Docker Desktop > Settings > Resources > Proxies";
  if (name === "Docker Engine on Linux") {
    return (
      'add "proxies" to /etc/docker/daemon.json (for pulls) and to ~/.docker/config.json (for builds), ' +
      "then `sudo systemctl restart docker`"
    );
  }
  if (name === "Docker Engine inside a dev container") {
    // dockerd inherits the container's environment from the entrypoint that starts it.
    return (
      'add HTTP_PROXY, HTTPS_PROXY and NO_PROXY under "containerEnv" in .devcontainer/devcontainer.json and ' +
      'rebuild the container, so its engine starts with them (for pulls); add "proxies" to ~/.docker/config.json ' +
      "(for builds)"
    );
  }
  return `give ${name} the proxy and restart it, until \`docker info\` shows an HTTP Proxy (see troubleshooting.md)`;
}

const warn = (what: string, problem: string, fix: string) => `⚠ ${what}: ${problem}. Fix: ${fix}`;

const MULTI_ARCH = "every base image is multi-arch, so Docker pulls its arm64 build";

function describeArchitecture(architecture: string | undefined): string {
  const arch = architecture ?? "";
  if (/^(x86_64|amd64)$/.test(arch)) return `ℹ CPU architecture: ${arch === "amd64" ? "amd64" : "x86_64 (amd64)"}`;
  if (/^(aarch64|arm64)$/.test(arch)) {
    const named = arch === "arm64" ? "arm64" : "aarch64 (arm64)";
    return `ℹ CPU architecture: ${named}, which is fine: ${MULTI_ARCH}`;
  }
  return warn(
    "CPU architecture",
    `${arch || "unknown"}: the workshop runs on amd64 and arm64, and its images may have no build for this one`,
    "use an amd64 or arm64 machine, or check each base image with `docker manifest inspect node:26-trixie-slim`",
  );
}

function describeResources(engine: Engine): string {
  const cpus = engine.info.NCPU ?? 0;
  const memory = engine.info.MemTotal ?? 0;
  const needs = `${WORKSHOP_CPUS} CPUs and ${WORKSHOP_MEMORY_GIB} GiB`;
  if (!cpus || !memory) return `ℹ Engine resources: not reported by this engine; the workshop needs ${needs}`;
  const has = `${cpus} CPU${cpus === 1 ? "" : "s"} and ${(memory / GIB).toFixed(1)} GiB of memory`;
  const swarmLab = "the three-node Swarm lab of lesson 17";
  if (cpus < WORKSHOP_CPUS || memory < reportedFor(WORKSHOP_MEMORY_GIB)) {
    return warn(
      "Engine resources",
      `${has}, less than the workshop needs (${needs}): ` +
        "image builds and the tests may be slow or killed (exit code 137)",
      MORE_RESOURCES[engine.name],
    );
  }
  const enough = `ℹ Engine resources: ${has}, enough for the workshop (${needs})`;
  if (memory < reportedFor(SWARM_LAB_MEMORY_GIB)) return `${enough}; ${swarmLab} will need ${SWARM_LAB_MEMORY_GIB} GiB`;
  return `${enough} and for ${swarmLab} (${SWARM_LAB_MEMORY_GIB} GiB)`;
}

/** A proxy in the shell that the engine does not have: pulls and builds then try to go out directly. */
function describeProxy(engine: Engine, env: Env): string | undefined {
  const set = ["HTTP_PROXY", "HTTPS_PROXY"].filter((name) => (env[name] || env[name.toLowerCase()])?.trim());
  if (set.length === 0 || engine.info.HttpProxy || engine.info.HttpsProxy) return undefined;
  return warn(
    "Proxy",
    `your shell sets ${set.join(" and ")} but the Docker engine has no proxy, so on a network that only lets traffic ` +
      "out through that proxy, pulling the base images and the `npm ci` in builds will fail",
    proxyFix(engine.name),
  );
}

/**
 * testcontainers (lesson 9) finds the engine through DOCKER_HOST or the default
 * sockets, never through a Docker context: a CLI that works through a context
 * such as "colima" leaves the tests without an engine.
 */
function throughContextOnly(engine: Engine, env: Env): boolean {
  return !env.DOCKER_HOST?.trim() && engine.info.ClientInfo?.Context !== "default";
}

/** Podman serves most of the Docker API, not all of it: what the workshop hits, and the way around each. */
function describePodman(engine: Engine, env: Env): string[] {
  const lines = [
    warn(
      "Podman builds",
      "`docker compose build` asks for BuildKit, which Podman does not provide",
      "`export DOCKER_BUILDKIT=0` before building: " +
        "Compose then uses the classic build API, which Podman serves with Buildah",
    ),
    warn(
      "Podman and Swarm",
      "lesson 13 runs `docker swarm init`, and Podman has no Swarm mode",
      "run lesson 13 on Docker Desktop or Docker Engine, or read it without running it",
    ),
  ];
  if (throughContextOnly(engine, env)) {
    lines.push(
      warn(
        "Podman and the tests",
        "testcontainers (lesson 9) finds Podman only through DOCKER_HOST or /var/run/docker.sock, " +
          "not through a Docker context",
        "on macOS " +
          "`export DOCKER_HOST=unix://$(podman machine inspect --format '{{.ConnectionInfo.PodmanSocket.Path}}')`, " +
          "on Linux `export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock`",
      ),
    );
  }
  const rootless = (engine.info.SecurityOptions ?? []).some((option) => option.includes("rootless"));
  if (rootless && env.TESTCONTAINERS_RYUK_DISABLED !== "true") {
    lines.push(
      warn(
        "Podman and the tests",
        "testcontainers' reaper (Ryuk) cannot run on rootless Podman",
        "`export TESTCONTAINERS_RYUK_DISABLED=true` before the tests; they remove their own containers",
      ),
    );
  }
  return lines;
}

/**
 * Colima's socket is in the home folder, so testcontainers needs DOCKER_HOST; and
 * its reaper (Ryuk) must mount the socket's path inside the VM, /var/run/docker.sock.
 */
function describeColima(engine: Engine, env: Env): string[] {
  const viaDockerHost = Boolean(env.DOCKER_HOST?.trim());
  if (!throughContextOnly(engine, env) && (!viaDockerHost || env.TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE)) return [];
  return [
    warn(
      "Colima and the tests",
      "testcontainers (lesson 9) finds Colima's socket only through DOCKER_HOST, " +
        "and its reaper needs the socket's path in the VM",
      "`export DOCKER_HOST=unix://$HOME/.colima/default/docker.sock " +
        "TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE=/var/run/docker.sock`",
    ),
  ];
}

/** The ℹ and ⚠ lines about an engine that answered, in the order a learner acts on them. */
export function describeEngine(engine: Engine, env: Env): string[] {
  const os =
    engine.name === "Docker Engine on Linux" && engine.info.OperatingSystem ? ` (${engine.info.OperatingSystem})` : "";
  const lines = [
    `ℹ ${engine.name}${os}: ${meaning(engine)}`,
    describeArchitecture(engine.info.Architecture),
    describeResources(engine),
  ];
  const proxy = describeProxy(engine, env);
  if (proxy) lines.push(proxy);
  if (engine.name === "Podman") lines.push(...describePodman(engine, env));
  if (engine.name === "Colima") lines.push(...describeColima(engine, env));
  return lines;
}
