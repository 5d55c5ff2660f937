import { describe, expect, it } from "vitest";
import { builtService, expectRefusedToStart } from "../../../test/support/built-service.js";

// The built webapp, started as `node dist/main.js` is: a bad variable must stop
// the process with one line on stderr, exit code 1, and nothing on stdout.
const webapp = builtService(new URL("..", import.meta.url));

describe("starting the webapp with a bad variable", () => {
  it.each([
    [{ PORT: "70000" }, "PORT"],
    [{ PORT: "abc" }, "PORT"],
    [{ API_URL: "not-a-url" }, "API_URL"],
    [{ API_URL: "ftp://x" }, "API_URL"],
    [{ API_TIMEOUT_MS: "0" }, "API_TIMEOUT_MS"],
    [{ METRICS_PORT: "70000" }, "METRICS_PORT"],
    [{ PORT: "9464" }, "METRICS_PORT"],
    [{ PGPORT: "x" }, "PGPORT"],
    [{ PGPASSWORD_FILE: "/no/such/secret" }, "PGPASSWORD_FILE"],
  ])("%o exits 1 with one line on stderr naming %s, and nothing on stdout", async (env, variable) => {
    expectRefusedToStart(await webapp.start(env), "webapp", variable);
  });

  it("says what was wrong and what it got", async () => {
    const run = await webapp.start({ API_URL: "ftp://x" });

    expect(run.stderr).toBe('webapp: API_URL must be an http:// or https:// URL (got "ftp://x")\n');
  });

  it("never prints a password from a bad DATABASE_URL", async () => {
    const run = await webapp.start({ DATABASE_URL: "mysql://alice:hunter2@db/shop" });

    expectRefusedToStart(run, "webapp", "DATABASE_URL");
    expect(run.stderr).not.toContain("hunter2");
  });
});
