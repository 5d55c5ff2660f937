import { describe, expect, it, vi } from "vitest";
import { createSchemaReadiness } from "./schema-readiness.js";
import type { Sleep } from "./wait-for-schema.js";

const logger = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });
const instantSleep: Sleep = async () => {};

/** Lets the background run finish (instant sleeps, resolved promises). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("createSchemaReadiness", () => {
  it("is not ready until the schema has been set up", async () => {
    const ensureSchema = vi.fn().mockRejectedValueOnce(new Error("starting up")).mockResolvedValue(undefined);
    const readiness = createSchemaReadiness({
      ensureSchema,
      logger: logger(),
      signal: new AbortController().signal,
      sleep: instantSleep,
    });

    expect(readiness.isReady()).toBe(false);
    readiness.ensureInBackground();
    await settle();

    expect(readiness.isReady()).toBe(true);
    expect(ensureSchema).toHaveBeenCalledTimes(2);
  });

  it("runs once however often it is asked while a run is under way", async () => {
    let finish = () => {};
    const ensureSchema = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const readiness = createSchemaReadiness({ ensureSchema, logger: logger(), signal: new AbortController().signal });

    readiness.ensureInBackground();
    readiness.ensureInBackground();
    finish();
    await settle();

    expect(ensureSchema).toHaveBeenCalledTimes(1);
    expect(readiness.isReady()).toBe(true);
  });

  it("when the tables are found gone, is unready until they are set up again", async () => {
    let finish = () => {};
    const ensureSchema = vi
      .fn<() => Promise<void>>()
      .mockResolvedValueOnce(undefined)
      .mockImplementationOnce(() => new Promise<void>((resolve) => (finish = resolve)));
    const readiness = createSchemaReadiness({ ensureSchema, logger: logger(), signal: new AbortController().signal });
    readiness.ensureInBackground();
    await settle();

    readiness.ensureInBackground();
    expect(readiness.isReady()).toBe(false);
    finish();
    await settle();

    expect(readiness.isReady()).toBe(true);
    expect(ensureSchema).toHaveBeenCalledTimes(2);
  });

  it("does nothing after shutdown has aborted it", async () => {
    const ensureSchema = vi.fn(async () => {});
    const readiness = createSchemaReadiness({ ensureSchema, logger: logger(), signal: AbortSignal.abort() });

    readiness.ensureInBackground();
    await settle();

    expect(ensureSchema).not.toHaveBeenCalled();
    expect(readiness.isReady()).toBe(false);
  });
});
