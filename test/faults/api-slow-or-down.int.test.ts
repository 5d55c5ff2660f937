import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerLogs, logLines } from "../support/containers.js";
import { loadPage, textOf } from "../support/page.js";
import type { Stack } from "../support/stack.js";
import { compose, inspectService, removeStack, startStack } from "../support/stack.js";

/** The webapp's default API_TIMEOUT_MS; the page must answer soon after it, never wait for the api. */
const API_TIMEOUT_MS = 2_000;
const PAGE_DEADLINE_MS = 3_000;

/** Loads the page and says how long it took. */
async function timedPage(url: string) {
  const started = Date.now();
  const page = await loadPage(url);
  return { ...page, text: textOf(page.html), ms: Date.now() - started };
}

describe("the page when the api is slow or down", () => {
  let stack: Stack | undefined;

  beforeAll(async () => {
    // The api holds GET / for 10 s: five times the webapp's timeout.
    stack = await startStack({
      label: "api-slow",
      files: ["docker-compose.yml", "test/faults/fixtures/slow-api.yml"],
      env: { SLOW_API_DELAY_MS: "10000" },
    });
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it("with an api that takes 10 s, renders the page within 3 s and says the api timed out", async () => {
    // Several at once: none of them waits for the api past the timeout.
    const pages = await Promise.all(Array.from({ length: 5 }, () => timedPage(stack!.webappUrl)));
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.text).toContain(`Could not reach the API at http://api:5001: timed out after ${API_TIMEOUT_MS} ms`);
      expect(page.text).toContain("Total visits:");
      expect(page.ms).toBeGreaterThanOrEqual(API_TIMEOUT_MS - 100);
      expect(page.ms).toBeLessThan(PAGE_DEADLINE_MS);
    }
    // The fixture really was in place: the api got the requests and held them.
    const api = await inspectService(stack!, "api");
    const held = logLines(await containerLogs(api.Id)).filter((line) => line.msg === "slow api: holding GET /");
    expect(held.length).toBeGreaterThanOrEqual(pages.length);
    expect(api.State.Health?.Status).toBe("healthy");
  });

  it("with the api stopped, renders the page within 3 s and says it could not reach the api", async () => {
    await compose(stack!, ["stop", "api"]);
    expect((await inspectService(stack!, "api")).State.Running).toBe(false);

    for (let i = 0; i < 3; i++) {
      const page = await timedPage(stack!.webappUrl);
      if (i === 0) console.info(`api stopped: ${/Could not reach the API[^\n]*/.exec(page.text)?.[0]} (${page.ms} ms)`);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/Could not reach the API at http:\/\/api:5001: \S/);
      expect(page.text).not.toContain("The API says:");
      expect(page.text).toContain("Total visits:");
      expect(page.ms).toBeLessThan(PAGE_DEADLINE_MS);
    }
  });
});
