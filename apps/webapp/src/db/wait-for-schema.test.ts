import { describe, expect, it, vi } from "vitest";
import type { Sleep } from "./wait-for-schema.js";
import { waitForSchema } from "./wait-for-schema.js";

function fakeLogger() {
  return { info: vi.fn(), warn: vi.fn() };
}

/** Fails `failures` times with ECONNREFUSED, then succeeds. */
function flakyEnsure(failures: number) {
  let calls = 0;
  return vi.fn(async () => {
    calls += 1;
    if (calls <= failures) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
  });
}

const instantSleep = () => vi.fn<Sleep>(async () => {});

describe("waitForSchema", () => {
  it("resolves ready at once when the first attempt succeeds", async () => {
    const logger = fakeLogger();
    const sleep = instantSleep();

    const outcome = await waitForSchema({
      ensureSchema: flakyEnsure(0),
      logger,
      signal: new AbortController().signal,
      sleep,
    });

    expect(outcome).toBe("ready");
    expect(sleep).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith({ attempt: 1 }, "database schema is ready");
  });

  it("retries with growing delays, capped, and resolves when an attempt succeeds", async () => {
    const logger = fakeLogger();
    const sleep = instantSleep();
    const ensureSchema = flakyEnsure(7);

    const outcome = await waitForSchema({ ensureSchema, logger, signal: new AbortController().signal, sleep });

    expect(outcome).toBe("ready");
    expect(ensureSchema).toHaveBeenCalledTimes(8);
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(logger.info).toHaveBeenCalledWith({ attempt: 8 }, "database schema is ready");
  });

  it("logs every failed attempt at warn with its number, the delay and the error", async () => {
    const logger = fakeLogger();

    await waitForSchema({
      ensureSchema: flakyEnsure(2),
      logger,
      signal: new AbortController().signal,
      sleep: instantSleep(),
      initialDelayMs: 100,
    });

    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenNthCalledWith(
      1,
      { attempt: 1, retryInMs: 100, error: "connect ECONNREFUSED 127.0.0.1:5432" },
      "database not ready (attempt 1): connect ECONNREFUSED 127.0.0.1:5432; retrying in 100 ms",
    );
    expect(logger.warn).toHaveBeenNthCalledWith(
      2,
      { attempt: 2, retryInMs: 200, error: "connect ECONNREFUSED 127.0.0.1:5432" },
      expect.stringContaining("attempt 2"),
    );
  });

  it("stops when aborted while waiting between attempts", async () => {
    const controller = new AbortController();
    const ensureSchema = flakyEnsure(Number.POSITIVE_INFINITY);
    const sleep = vi.fn<Sleep>(async (_ms, signal) => {
      if (sleep.mock.calls.length === 3) controller.abort();
      signal.throwIfAborted();
    });

    const outcome = await waitForSchema({ ensureSchema, logger: fakeLogger(), signal: controller.signal, sleep });

    expect(outcome).toBe("aborted");
    expect(ensureSchema).toHaveBeenCalledTimes(3);
  });

  it("stops, without logging a failure, when aborted during an attempt", async () => {
    const controller = new AbortController();
    const logger = fakeLogger();
    const ensureSchema = vi.fn(async () => {
      controller.abort();
      throw new Error("Cannot use a pool after calling end on the pool");
    });

    const outcome = await waitForSchema({ ensureSchema, logger, signal: controller.signal, sleep: instantSleep() });

    expect(outcome).toBe("aborted");
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it("does not even try when already aborted", async () => {
    const ensureSchema = flakyEnsure(0);

    const outcome = await waitForSchema({
      ensureSchema,
      logger: fakeLogger(),
      signal: AbortSignal.abort(),
      sleep: instantSleep(),
    });

    expect(outcome).toBe("aborted");
    expect(ensureSchema).not.toHaveBeenCalled();
  });

  it("with the real sleep, an abort ends the wait at once", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);

    const outcome = await waitForSchema({
      ensureSchema: flakyEnsure(Number.POSITIVE_INFINITY),
      logger: fakeLogger(),
      signal: controller.signal,
      initialDelayMs: 10_000,
    });

    expect(outcome).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
