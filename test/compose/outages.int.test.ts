import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPage } from "../support/page.js";
import type { Stack } from "../support/stack.js";
import { compose, eventually, inspectService, removeStack, startStack } from "../support/stack.js";

describe("when a dependency goes away", () => {
  let stack: Stack | undefined;

  beforeAll(async () => {
    stack = await startStack({ label: "outages" });
  });

  afterAll(async () => {
    await removeStack(stack);
  });

  it("with api stopped, the page still renders and says the API is unreachable; with api back, the message returns", async () => {
    await compose(stack!, ["stop", "api"]);
    const started = Date.now();
    const during = await loadPage(stack!.webappUrl);
    expect(during.status).toBe(200);
    expect(during.html).toContain("Could not reach the API at");
    expect(during.html).toContain("Total visits:");
    expect(Date.now() - started).toBeLessThan(5_000);

    await compose(stack!, ["start", "api"]);
    await eventually(async () => {
      expect((await loadPage(stack!.webappUrl)).html).toContain("The API says: Hello from the API container!");
    });
  });

  it("with db restarted, the webapp recovers by itself, without being restarted", async () => {
    const webappBefore = await inspectService(stack!, "webapp");
    await compose(stack!, ["restart", "db"]);

    const page = await eventually(async () => {
      const result = await loadPage(stack!.webappUrl);
      expect(result.status).toBe(200);
      return result;
    });
    expect(page.html).toContain("Total visits:");

    const webappAfter = await inspectService(stack!, "webapp");
    expect(webappAfter.State.StartedAt).toBe(webappBefore.State.StartedAt);
    expect(webappAfter.RestartCount).toBe(0);
  });

  it("while db is stopped, the page answers 503 with a clear message, quickly", async () => {
    await compose(stack!, ["stop", "db"]);
    const started = Date.now();
    const page = await loadPage(stack!.webappUrl);
    expect(page.status).toBe(503);
    expect(page.html).toContain("The database is not reachable right now");
    expect(Date.now() - started).toBeLessThan(5_000);
    await compose(stack!, ["start", "db"]);
    await eventually(async () => expect((await loadPage(stack!.webappUrl)).status).toBe(200));
  });
});
