import { execa } from "execa";
import { getContainerRuntimeClient } from "testcontainers";
import { findLeftovers } from "./leftovers.js";

const HOW_TO_START =
  "Start Docker (Docker Desktop, or `sudo systemctl start docker` on Linux), check it with `docker info`, " +
  "or run only the unit tests with `npm run test:unit`.";

/**
 * Vitest global setup for the integration project: fail fast, with one line
 * that says what to do, when there is no Docker engine or no Compose v2.
 * It never skips: a run without Docker is a failed run, in CI and elsewhere.
 * Its teardown fails the run if a test left a container, volume or network behind.
 */
export default async function requireDocker(): Promise<() => Promise<void>> {
  try {
    await getContainerRuntimeClient();
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new Error(`The integration tests need a Docker engine and none answered (${reason}). ${HOW_TO_START}`);
  }
  const compose = await execa("docker", ["compose", "version", "--short"], { reject: false });
  if (compose.exitCode !== 0 || !/^v?2\./.test(compose.stdout.trim())) {
    throw new Error(
      "The integration tests need Docker Compose v2 (`docker compose`, not `docker-compose`): " +
        "install the compose plugin (Docker Desktop has it; on Debian/Ubuntu: the docker-compose-plugin or docker-compose package).",
    );
  }
  return async function requireNothingLeftBehind() {
    const leftovers = await findLeftovers();
    if (leftovers.length > 0) {
      throw new Error(
        `The integration tests left these behind (each test must remove what it starts): ${leftovers.join(", ")}`,
      );
    }
  };
}
