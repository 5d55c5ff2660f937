import type { DockerInfo, DockerVersion } from "./doctor-engine.ts";

// `docker info` and `docker version` as JSON, trimmed to the fields the doctor
// reads, for its tests. Debian's output was recorded on the CI machine; the
// others are rebuilt from outputs their users and docs publish (docker info
// pasted in issues and READMEs, Podman's compat API source).

export const DEBIAN: Recorded = {
  info: {
    ServerVersion: "26.1.5+dfsg1",
    OperatingSystem: "Debian GNU/Linux 13 (trixie)",
    OSType: "linux",
    Architecture: "x86_64",
    NCPU: 2,
    MemTotal: 25276026880,
    Name: "vm",
    Labels: [],
    HttpProxy: "",
    HttpsProxy: "",
    ClientInfo: { Context: "default" },
  },
  version: {
    Server: { Platform: { Name: "" }, Components: [{ Name: "Engine" }, { Name: "containerd" }, { Name: "runc" }] },
  },
};

export const DOCKER_DESKTOP_MAC: Recorded = {
  info: {
    ServerVersion: "28.3.2",
    OperatingSystem: "Docker Desktop",
    OSType: "linux",
    Architecture: "aarch64",
    NCPU: 8,
    MemTotal: 8221011968,
    Name: "docker-desktop",
    Labels: ["com.docker.desktop.address=unix:///Users/ada/Library/Containers/com.docker.docker/Data/docker-cli.sock"],
    HttpProxy: "http.docker.internal:3128",
    HttpsProxy: "http.docker.internal:3128",
    ClientInfo: { Context: "desktop-linux" },
  },
  version: { Server: { Platform: { Name: "Docker Desktop 4.43.2 (199162)" }, Components: [{ Name: "Engine" }] } },
};

export const ORBSTACK: Recorded = {
  info: {
    ServerVersion: "28.5.2",
    OperatingSystem: "OrbStack",
    OSType: "linux",
    Architecture: "x86_64",
    NCPU: 6,
    MemTotal: 16825329664,
    Name: "orbstack",
    ClientInfo: { Context: "orbstack" },
  },
  version: { Server: { Platform: { Name: "Docker Engine - Community" }, Components: [{ Name: "Engine" }] } },
};

export const RANCHER_DESKTOP_MAC: Recorded = {
  info: {
    ServerVersion: "27.3.1",
    OperatingSystem: "Alpine Linux v3.20",
    OSType: "linux",
    Architecture: "aarch64",
    NCPU: 2,
    MemTotal: 4117835776,
    Name: "lima-rancher-desktop",
    ClientInfo: { Context: "rancher-desktop" },
  },
  version: { Server: { Platform: { Name: "" }, Components: [{ Name: "Engine" }] } },
};

export const RANCHER_DESKTOP_WINDOWS: Recorded = {
  info: {
    ...RANCHER_DESKTOP_MAC.info,
    OperatingSystem: "Rancher Desktop WSL Distribution (containerized)",
    Architecture: "x86_64",
    NCPU: 8,
    MemTotal: 8185569280,
    Name: "ADA-LAPTOP",
    ClientInfo: { Context: "default" },
  },
  version: RANCHER_DESKTOP_MAC.version,
};

/** Colima's defaults: 2 CPUs and 2 GiB, which the kernel reports as a little less. */
export const COLIMA: Recorded = {
  info: {
    ServerVersion: "27.4.0",
    OperatingSystem: "Ubuntu 24.04.1 LTS",
    OSType: "linux",
    Architecture: "aarch64",
    NCPU: 2,
    MemTotal: 2014928896,
    Name: "colima",
    ClientInfo: { Context: "colima" },
  },
  version: { Server: { Platform: { Name: "Docker Engine - Community" }, Components: [{ Name: "Engine" }] } },
};

/** A rootless `podman machine` on macOS: info says "fedora" and Go's arch names; version lists Podman's components. */
export const PODMAN_MACHINE: Recorded = {
  info: {
    ServerVersion: "5.2.2",
    OperatingSystem: "fedora",
    OSType: "linux",
    Architecture: "arm64",
    NCPU: 4,
    MemTotal: 4090880000,
    Name: "localhost.localdomain",
    SecurityOptions: ["name=seccomp,profile=default", "name=rootless"],
    HttpProxy: "",
    HttpsProxy: "",
    ClientInfo: { Context: "podman-machine-default" },
  },
  version: {
    Server: {
      Platform: { Name: "linux/arm64/fedora-40" },
      Components: [{ Name: "Podman Engine" }, { Name: "Conmon" }, { Name: "OCI Runtime (crun)" }],
    },
  },
};

export interface Recorded {
  info: DockerInfo;
  version: DockerVersion;
}
