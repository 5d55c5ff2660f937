// npm run --silent swarm:stack-file: prints the stack file that
// `docker stack deploy -c -` reads, made from docker-compose.yml and
// docker-stack.yml.
//
// `docker compose config` does the merging, the ${VARIABLE} interpolation and
// the anchors. What is left is to drop what Swarm does not read: `docker
// stack deploy` still uses the older Compose file format, which refuses the
// long form of depends_on and a published port given as a string, and has no
// build, develop or restart (Swarm restarts per deploy.restart_policy). Names
// Compose gave the networks, the volume and the secret are dropped too, so
// Swarm prefixes them with the stack's name instead of clashing with a
// Compose project's.
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

/** Compose's model of the merged files -> the stack file Swarm reads, and what it had to leave out. */
export function toStackFile(compose: Json): { stack: Json; leftOut: string[] } {
  const services = isObject(compose.services) ? compose.services : {};
  const stack: Json = { services: {} };
  const leftOut: string[] = [];
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
    if (Array.isArray(service.ports)) {
      service.ports = service.ports.map((port: unknown) =>
        isObject(port) && typeof port.published === "string"
          ? { ...port, published: publishedPort(name, port.published) }
          : port,
      );
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

if (isEntryPoint(import.meta)) {
  const repoDir = fileURLToPath(new URL("..", import.meta.url));
  try {
    const { stdout } = await promisify(execFile)(
      "docker",
      ["compose", "-f", "docker-compose.yml", "-f", "docker-stack.yml", "config", "--format", "json"],
      { cwd: repoDir, maxBuffer: 16 * 1024 * 1024 },
    );
    const { stack, leftOut } = toStackFile(JSON.parse(stdout) as Json);
    for (const line of leftOut) console.error(`swarm-stack-file: left out ${line}`);
    process.stdout.write(`${JSON.stringify(stack, null, 2)}\n`);
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    console.error(`swarm-stack-file: ${detail}`);
    process.exitCode = 1;
  }
}
