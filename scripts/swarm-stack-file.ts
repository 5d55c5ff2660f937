// npm run --silent swarm:stack-file: prints the stack file that
// `docker stack deploy -c -` reads, made from docker-compose.yml and
// docker-stack.yml.
//
// `docker compose config` does the merging, the ${VARIABLE} interpolation and
// the anchors. What is left is to drop what Swarm does not read: `docker
// stack deploy` still uses the older Compose file format, which refuses the
// long form of depends_on, a published port given as a string or bound to one
// address (host_ip), and has no build, develop or restart (Swarm restarts per
// deploy.restart_policy). Names Compose gave the networks, the volume and the
// secret are dropped too, so Swarm prefixes them with the stack's name
// instead of clashing with a Compose project's.
//
// Plain Node.js, no dependencies: JSON is YAML, so the output needs no YAML
// library.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { isEntryPoint } from "./is-entry-point.ts";

type Json = Record<string, unknown>;

/**
 * Keys of a service that `docker stack deploy` refuses or that mean nothing
 * on Swarm: it does not build, has no start order, restarts per
 * deploy.restart_policy, and `expose` only documents a port.
 */
const SERVICE_KEYS_SWARM_DOES_NOT_READ = [
  "build",
  "develop",
  "depends_on",
  "restart",
  "profiles",
  "container_name",
  "expose",
];

/** Keys Swarm services cannot apply: left out, and said so, since the service loses what they gave. */
const SERVICE_KEYS_SWARM_CANNOT_APPLY: Record<string, string> = {
  security_opt: "Swarm services cannot set security options such as no-new-privileges",
};

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function withoutNulls(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null));
}

/** Where the nodes pull the images this project builds from (STOCKROOM_REGISTRY, STOCKROOM_TAG). */
export interface ImageSource {
  /** A registry and path prefix, e.g. registry:5000 or ghcr.io/you; unset: the names the build gave. */
  registry?: string;
  /** The tag those images run under there; unset: the build's tag. */
  tag?: string;
}

/**
 * stockroom-api:latest -> registry:5000/stockroom-api:v1. Only the images a
 * service builds (and the services running one of them, such as migrate)
 * move: postgres stays a Docker Hub name, which a registry mirror can serve.
 */
function inRegistry(image: string, { registry, tag }: ImageSource): string {
  const colon = image.lastIndexOf(":");
  const [name, ownTag] =
    colon > image.lastIndexOf("/") ? [image.slice(0, colon), image.slice(colon + 1)] : [image, "latest"];
  const prefix = registry ? `${registry.replace(/\/+$/, "")}/` : "";
  return `${prefix}${name}:${tag || ownTag}`;
}

/** Compose's model of the merged files -> the stack file Swarm reads, and what it had to leave out. */
export function toStackFile(compose: Json, source: ImageSource = {}): { stack: Json; leftOut: string[] } {
  const services = isObject(compose.services) ? compose.services : {};
  const stack: Json = { services: {} };
  const leftOut: string[] = [];
  const built = new Set(
    Object.values(services).flatMap((service) => (isObject(service) && service.build ? [service.image] : [])),
  );
  for (const [name, definition] of Object.entries(services)) {
    if (!isObject(definition)) continue;
    const service = withoutNulls(definition);
    for (const key of SERVICE_KEYS_SWARM_DOES_NOT_READ) delete service[key];
    for (const [key, why] of Object.entries(SERVICE_KEYS_SWARM_CANNOT_APPLY)) {
      if (service[key] === undefined) continue;
      leftOut.push(`${name}: ${key} ${JSON.stringify(service[key])} (${why})`);
      delete service[key];
    }
    if (typeof service.image !== "string") {
      throw new Error(
        `service ${name} has no image: Swarm cannot build, so every service needs one (run docker compose build first)`,
      );
    }
    if ((source.registry || source.tag) && built.has(service.image)) service.image = inRegistry(service.image, source);
    if (Array.isArray(service.ports)) {
      service.ports = service.ports.map((port: unknown) => {
        if (!isObject(port)) return port;
        // Swarm publishes a port on every address of the node: its stack file
        // has no host_ip (docker stack deploy refuses it), so the
        // PUBLISH_ADDRESS=127.0.0.1 a Compose stack gets cannot follow it here.
        const { host_ip: hostIp, ...swarmPort } = port;
        if (hostIp !== undefined) {
          leftOut.push(
            `${name}: ports host_ip ${JSON.stringify(hostIp)} (Swarm publishes on every address of the node and cannot bind one)`,
          );
        }
        return typeof swarmPort.published === "string"
          ? { ...swarmPort, published: publishedPort(name, swarmPort.published) }
          : swarmPort;
      });
    }
    (stack.services as Json)[name] = service;
  }
  for (const section of ["networks", "volumes", "secrets", "configs"]) {
    const entries = compose[section];
    if (!isObject(entries) || Object.keys(entries).length === 0) continue;
    stack[section] = Object.fromEntries(
      Object.entries(entries).map(([name, definition]) => {
        const { name: _composeName, ...rest } = isObject(definition) ? definition : {};
        return [name, rest];
      }),
    );
  }
  return { stack, leftOut };
}

function publishedPort(service: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `service ${service} publishes port "${value}": Swarm needs a fixed port from 1 to 65535 (WEBAPP_HOST_PORT=0 does not work here)`,
    );
  }
  return port;
}

const repoDir = fileURLToPath(new URL("..", import.meta.url));

/**
 * The stack file for docker-compose.yml and docker-stack.yml, with `extraFiles`
 * on top (the lab's swarm-lab/stack.yml): `docker compose config` merges
 * them, toStackFile does the rest. Rejects with Compose's own error.
 */
export async function stackFileFromCompose(
  extraFiles: string[],
  source: ImageSource = {},
): Promise<{ stack: Json; leftOut: string[] }> {
  const files = ["docker-compose.yml", "docker-stack.yml", ...extraFiles];
  const { stdout } = await promisify(execFile)(
    "docker",
    ["compose", ...files.flatMap((file) => ["-f", file]), "config", "--format", "json"],
    { cwd: repoDir, maxBuffer: 16 * 1024 * 1024 },
  );
  return toStackFile(JSON.parse(stdout) as Json, source);
}

if (isEntryPoint(import.meta)) {
  try {
    // Read by a person's `npm run`, not by a turbo task: no turbo.json entry.
    const { STOCKROOM_REGISTRY: registry, STOCKROOM_TAG: tag } = process.env;
    const { stack, leftOut } = await stackFileFromCompose(process.argv.slice(2), { registry, tag });
    for (const line of leftOut) console.error(`swarm-stack-file: left out ${line}`);
    process.stdout.write(`${JSON.stringify(stack, null, 2)}\n`);
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    console.error(`swarm-stack-file: ${detail}`);
    process.exitCode = 1;
  }
}
