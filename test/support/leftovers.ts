import { execa } from "execa";

/** Compose projects and Swarm stacks the suite starts are all named stockroom-test-* (see uniqueProject). */
const TEST_PROJECT_PREFIX = "stockroom-test-";

async function namesWhere(
  kind: "container" | "volume" | "network",
  owned: (labels: string, name: string) => boolean,
): Promise<string[]> {
  const list =
    kind === "container"
      ? ["ps", "--all", "--format", "{{.Names}}\t{{.Labels}}"]
      : [kind, "ls", "--format", "{{.Name}}\t{{.Labels}}"];
  const { stdout } = await execa("docker", list);
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split("\t"))
    .filter(([name = "", labels = ""]) => owned(labels, name))
    .map(([name = ""]) => name);
}

// Ryuk, testcontainers' reaper (used wherever it can be pulled, e.g. on
// GitHub's runners), outlives the tests on purpose: it removes what they
// started, then itself, seconds after the run ends. It carries the
// testcontainers label too, so it is told apart by its name.
const isReaper = (name: string) => name.startsWith("testcontainers-ryuk-");

const ownedBySuite = (labels: string, name: string) =>
  !isReaper(name) &&
  (labels.includes(`com.docker.compose.project=${TEST_PROJECT_PREFIX}`) ||
    labels.includes(`com.docker.stack.namespace=${TEST_PROJECT_PREFIX}`) ||
    labels.includes("org.testcontainers=true") ||
    labels.includes("stockroom-int-test="));

/**
 * What the integration suite left running or lying around: containers,
 * volumes and networks of its own Compose projects and testcontainers. A
 * learner's own stack (any other project name) is never counted.
 */
export async function findLeftovers(): Promise<string[]> {
  const [containers, volumes, networks] = await Promise.all([
    namesWhere("container", ownedBySuite),
    namesWhere("volume", ownedBySuite),
    namesWhere("network", ownedBySuite),
  ]);
  return [
    ...containers.map((name) => `container ${name}`),
    ...volumes.map((name) => `volume ${name}`),
    ...networks.map((name) => `network ${name}`),
  ];
}
