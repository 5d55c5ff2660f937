import { describe, expect, it } from "vitest";
import { builtService, expectRefusedToStart } from "../../../test/support/built-service.js";

// The built api, started as `node dist/main.js` is: a bad variable must stop
// the process with one line on stderr, exit code 1, and nothing on stdout.
const api = builtService(new URL("..", import.meta.url));

describe("starting the api with a bad variable", () => {
  it.each([
    [{ PORT: "70000" }, "PORT"],
    [{ PORT: "abc" }, "PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ RESTOCK_MAX_ITEMS: "0" }, "RESTOCK_MAX_ITEMS"],
    [{ METRICS_PORT: "none" }, "METRICS_PORT"],
    [{ PORT: "9464" }, "METRICS_PORT"],
  ])("%o exits 1 with one line on stderr naming %s, and nothing on stdout", async (env, variable) => {
    expectRefusedToStart(await api.start(env), "api", variable);
  });

  it("says what was wrong and what it got", async () => {
    const run = await api.start({ PORT: "70000" });

    expect(run.stderr).toBe('api: PORT must be a whole number from 1 to 65535 (got "70000")\n');
  });
});
