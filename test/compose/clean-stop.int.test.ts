import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../support/stack.js";
import { compose, inspectService, removeStack, startStack } from "../support/stack.js";

describe("docker compose stop", () => {
  let stack: Stack | undefined;
  let stopSeconds = Number.NaN;

  beforeAll(async () => {
    stack = await startStack({ label: "clean-stop" });
    const started = Date.now();
    await compose(stack, ["stop"]);
    stopSeconds = (Date.now() - started) / 1000;
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it.each(["webapp", "api"])(
    "lets %s exit on its own after SIGTERM (0 or 143, never 137 from the kill)",
    async (service) => {
      const { State } = await inspectService(stack!, service);
      expect(State.Running).toBe(false);
      expect([0, 143]).toContain(State.ExitCode);
    },
  );

  it("finishes well before Docker's 10-second kill timeout", () => {
    expect(stopSeconds).toBeLessThan(5);
  });
});
