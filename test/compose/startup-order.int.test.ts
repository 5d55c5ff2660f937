import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../support/stack.js";
import { compose, inspectService, removeStack, startStack, uniqueProject } from "../support/stack.js";

interface DockerEvent {
  Action: string;
  timeNano: number;
  Actor: { Attributes: Record<string, string> };
}

/** The container events Docker recorded for a project between two moments. */
async function projectEvents(project: string, since: Date, until: Date): Promise<DockerEvent[]> {
  const { stdout } = await execa("docker", [
    "events",
    "--since",
    String(Math.floor(since.getTime() / 1000) - 1),
    "--until",
    String(Math.ceil(until.getTime() / 1000) + 1),
    "--filter",
    "type=container",
    "--filter",
    `label=com.docker.compose.project=${project}`,
    "--format",
    "{{json .}}",
  ]);
  return stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DockerEvent);
}

const firstTime = (events: DockerEvent[], service: string, action: string) => {
  const event = events.find((e) => e.Actor.Attributes["com.docker.compose.service"] === service && e.Action === action);
  if (!event) throw new Error(`no "${action}" event for ${service}`);
  return event.timeNano;
};

describe("depends_on: the order docker compose up starts things in", () => {
  let stack: Stack | undefined;
  let events: DockerEvent[] = [];

  beforeAll(async () => {
    const startedAt = new Date();
    stack = await startStack({ label: "order" });
    events = await projectEvents(stack.project, startedAt, new Date());
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it("starts the webapp only after db is healthy (condition: service_healthy)", () => {
    expect(firstTime(events, "webapp", "start")).toBeGreaterThan(firstTime(events, "db", "health_status: healthy"));
  });

  it("starts the webapp only after api is healthy (condition: service_healthy)", () => {
    expect(firstTime(events, "webapp", "start")).toBeGreaterThan(firstTime(events, "api", "health_status: healthy"));
  });

  it("starts the webapp only after migrate exited 0 (condition: service_completed_successfully)", async () => {
    const migrateEnded = events.find(
      (e) => e.Actor.Attributes["com.docker.compose.service"] === "migrate" && e.Action === "die",
    );
    expect(migrateEnded?.Actor.Attributes.exitCode).toBe("0");
    expect(firstTime(events, "webapp", "start")).toBeGreaterThan(migrateEnded!.timeNano);
    expect(firstTime(events, "migrate", "start")).toBeGreaterThan(firstTime(events, "db", "health_status: healthy"));
    expect((await inspectService(stack!, "migrate")).State.ExitCode).toBe(0);
  });
});

describe("depends_on when the migration fails", () => {
  const failing = {
    project: uniqueProject("migrate-fails"),
    files: ["docker-compose.yml", "test/compose/fixtures/migrate-fails.yml"],
    env: { WEBAPP_HOST_PORT: "0" },
  };

  afterAll(async () => {
    await compose(failing, ["down", "--volumes", "--timeout", "5"]);
  });

  it("never starts the webapp, and up says which dependency failed", async () => {
    const up = await compose(failing, ["up", "--detach", "--build"]).catch(
      (err: { exitCode: number; stderr: string }) => err,
    );
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toMatch(/migrate.*didn't complete successfully: exit 3/);
    const webapp = await inspectService(failing, "webapp");
    expect(webapp.State.Running).toBe(false);
    expect(webapp.State.StartedAt).toMatch(/^0001-01-01/); // created, never started
  });
});
