import { describe, expect, it } from "vitest";
import { toStackFile } from "./swarm-stack-file.ts";

// What `docker compose config --format json` gives for a service like ours,
// and what `docker stack deploy` must get instead.
const compose = {
  name: "stockroom",
  services: {
    webapp: {
      build: { context: "/repo", dockerfile: "apps/webapp/Dockerfile" },
      image: "stockroom-webapp:latest",
      command: null,
      depends_on: { db: { condition: "service_healthy", required: true } },
      develop: { watch: [{ path: "/repo/apps/webapp", action: "rebuild" }] },
      restart: "unless-stopped",
      expose: ["5000"],
      security_opt: ["no-new-privileges:true"],
      read_only: true,
      ports: [{ mode: "host", target: 5000, published: "8080", protocol: "tcp" }],
      networks: { frontend: null },
      secrets: [{ source: "db_password" }],
      deploy: { replicas: 1, endpoint_mode: "dnsrr" },
    },
  },
  networks: { frontend: { name: "stockroom_frontend", ipam: {} } },
  volumes: { "db-data": { name: "stockroom_db-data" } },
  secrets: { db_password: { name: "stockroom_db_password", file: "/repo/config/dev-only-db-password.txt" } },
  "x-node-hardening": { read_only: true },
};

describe("toStackFile", () => {
  const { stack, leftOut } = toStackFile(compose);
  const webapp = (stack.services as Record<string, Record<string, unknown>>).webapp ?? {};

  it("leaves out what docker stack deploy refuses or Swarm does not use", () => {
    for (const key of ["build", "depends_on", "develop", "restart", "expose", "command"])
      expect(webapp).not.toHaveProperty(key);
    expect(stack).not.toHaveProperty("name");
    expect(stack).not.toHaveProperty("x-node-hardening");
  });

  it("keeps the image, hardening Swarm can apply, networks, secrets and deploy settings", () => {
    expect(webapp).toMatchObject({
      image: "stockroom-webapp:latest",
      read_only: true,
      networks: { frontend: null },
      secrets: [{ source: "db_password" }],
      deploy: { replicas: 1, endpoint_mode: "dnsrr" },
    });
  });

  it("publishes the port as a number, as the stack file format wants", () => {
    expect(webapp.ports).toEqual([{ mode: "host", target: 5000, published: 8080, protocol: "tcp" }]);
  });

  it("drops Compose's names so Swarm prefixes networks, volumes and secrets with the stack name", () => {
    expect(stack.networks).toEqual({ frontend: { ipam: {} } });
    expect(stack.volumes).toEqual({ "db-data": {} });
    expect(stack.secrets).toEqual({ db_password: { file: "/repo/config/dev-only-db-password.txt" } });
  });

  it("says which protection Swarm cannot apply instead of dropping it silently", () => {
    expect(webapp).not.toHaveProperty("security_opt");
    expect(leftOut).toEqual([
      'webapp: security_opt ["no-new-privileges:true"] (Swarm services cannot set security options such as no-new-privileges)',
    ]);
  });

  it("drops the loopback address a Compose port is bound to, and says so: a stack file cannot bind one", () => {
    const bound = toStackFile({
      services: {
        webapp: {
          image: "w",
          ports: [{ mode: "ingress", host_ip: "127.0.0.1", target: 5000, published: "8080", protocol: "tcp" }],
        },
      },
    });
    const ports = (bound.stack.services as Record<string, Record<string, unknown>>).webapp?.ports;
    expect(ports).toEqual([{ mode: "ingress", target: 5000, published: 8080, protocol: "tcp" }]);
    expect(bound.leftOut).toEqual([
      'webapp: ports host_ip "127.0.0.1" (Swarm publishes on every address of the node and cannot bind one)',
    ]);
  });

  it("refuses a service without an image, since Swarm cannot build one", () => {
    expect(() => toStackFile({ services: { api: { build: { context: "." } } } })).toThrow(
      "service api has no image: Swarm cannot build, so every service needs one (run docker compose build first)",
    );
  });

  it("refuses WEBAPP_HOST_PORT=0: Swarm needs a fixed port", () => {
    expect(() =>
      toStackFile({ services: { webapp: { image: "w", ports: [{ target: 5000, published: "0" }] } } }),
    ).toThrow(
      'service webapp publishes port "0": Swarm needs a fixed port from 1 to 65535 (WEBAPP_HOST_PORT=0 does not work here)',
    );
  });

  describe("with a registry (STOCKROOM_REGISTRY, STOCKROOM_TAG), as on a cluster whose nodes pull", () => {
    const built = {
      services: {
        api: { build: { context: "." }, image: "stockroom-api:latest" },
        webapp: { build: { context: "." }, image: "stockroom-webapp:latest" },
        migrate: { image: "stockroom-webapp:latest" },
        db: { image: "postgres:17-trixie" },
      },
    };
    const imagesOf = (stack: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(stack.services as Record<string, { image: string }>).map(([name, { image }]) => [name, image]),
      );

    it("names the images this project builds in that registry, under that tag, and leaves Docker Hub's alone", () => {
      const { stack } = toStackFile(built, { registry: "registry:5000/", tag: "v1" });
      expect(imagesOf(stack)).toEqual({
        api: "registry:5000/stockroom-api:v1",
        webapp: "registry:5000/stockroom-webapp:v1",
        migrate: "registry:5000/stockroom-webapp:v1",
        db: "postgres:17-trixie",
      });
    });

    it("keeps the build's tag when none is given, and the local names when no registry is", () => {
      expect(imagesOf(toStackFile(built, { registry: "ghcr.io/you" }).stack).api).toBe(
        "ghcr.io/you/stockroom-api:latest",
      );
      expect(imagesOf(toStackFile(built).stack).api).toBe("stockroom-api:latest");
    });
  });
});
