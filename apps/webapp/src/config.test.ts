import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@stockroom/http-kit";
import { afterAll, describe, expect, it } from "vitest";
import { describeDatabase, loadConfig } from "./config.js";

const dir = mkdtempSync(join(tmpdir(), "webapp-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The ConfigError message loadConfig throws for `env`. */
function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected loadConfig to throw");
}

describe("loadConfig", () => {
  it("treats a blank PGHOST as unset, so the default host db applies", () => {
    expect(loadConfig({ PGHOST: " " }).database).toMatchObject({ host: "db" });
  });

  it("works with nothing set, with the defaults for Compose", () => {
    expect(loadConfig({})).toEqual({
      port: 5000,
      host: "0.0.0.0",
      metricsPort: 9464,
      logLevel: "info",
      apiUrl: "http://api:5001",
      apiTimeoutMs: 2000,
      trustProxy: [],
      database: { host: "db", port: 5432, user: "stockroom", database: "stockroom" },
    });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      METRICS_PORT: "9101",
      LOG_LEVEL: "debug",
      API_URL: "http://localhost:5001",
      API_TIMEOUT_MS: "500",
      PGHOST: "pg.internal",
      PGPORT: "6543",
      PGUSER: "alice",
      PGDATABASE: "shop",
      PGPASSWORD: "s3cret",
      TRUST_PROXY: "10.213.47.0/24",
    });

    expect(config).toEqual({
      port: 8080,
      host: "127.0.0.1",
      metricsPort: 9101,
      logLevel: "debug",
      apiUrl: "http://localhost:5001",
      apiTimeoutMs: 500,
      trustProxy: ["10.213.47.0/24"],
      database: { host: "pg.internal", port: 6543, user: "alice", database: "shop", password: "s3cret" },
    });
  });

  it("refuses a METRICS_PORT equal to PORT, naming METRICS_PORT", () => {
    expect(failure({ PORT: "8080", METRICS_PORT: "8080" })).toBe(
      'METRICS_PORT must differ from PORT, which is 8080 too: both listen on HOST (got "8080")',
    );
  });

  it("gives DATABASE_URL precedence over the PG* variables, which are then not read", () => {
    const config = loadConfig({
      DATABASE_URL: "postgresql://alice:pw@pg.internal:6543/shop",
      PGHOST: "ignored",
      PGPORT: "not-even-a-port",
      PGPASSWORD: "x",
      PGPASSWORD_FILE: "/also/ignored",
    });

    expect(config.database).toEqual({ connectionString: "postgresql://alice:pw@pg.internal:6543/shop" });
  });

  it("accepts a postgres:// DATABASE_URL and treats an empty one as unset", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://db/stockroom" }).database).toEqual({
      connectionString: "postgres://db/stockroom",
    });
    expect(loadConfig({ DATABASE_URL: "" }).database).toMatchObject({ host: "db" });
  });

  it("never repeats a bad DATABASE_URL's password in the error", () => {
    expect(failure({ DATABASE_URL: "mysql://alice:s3cret@db/shop" })).toBe(
      'DATABASE_URL must be a postgres:// or postgresql:// URL (got a URL with scheme "mysql:")',
    );
    expect(failure({ DATABASE_URL: "alice:s3cret@db" })).not.toContain("s3cret");
    expect(failure({ DATABASE_URL: "//db/shop?password=s3cret" })).toBe(
      "DATABASE_URL must be a postgres:// or postgresql:// URL (got a value that is not a URL)",
    );
  });

  it("reads the password from PGPASSWORD_FILE, without the trailing newline", () => {
    const path = secretFile("db_password", "from a secret \n");

    const config = loadConfig({ PGPASSWORD_FILE: path });

    expect(config.database).toMatchObject({ password: "from a secret " });
  });

  it("refuses PGPASSWORD and PGPASSWORD_FILE together, naming both", () => {
    const path = secretFile("both", "pw\n");

    const message = failure({ PGPASSWORD: "pw", PGPASSWORD_FILE: path });

    expect(message).toMatch(/^PGPASSWORD_FILE and PGPASSWORD are both set/);
  });

  it("names PGPASSWORD_FILE when the file cannot be read or is empty", () => {
    expect(failure({ PGPASSWORD_FILE: join(dir, "missing") })).toMatch(/^PGPASSWORD_FILE could not be read: ENOENT/);
    expect(failure({ PGPASSWORD_FILE: secretFile("empty", "\n") })).toMatch(/^PGPASSWORD_FILE names an empty file/);
  });

  it("reads TRUST_PROXY as a comma-separated list of addresses, subnets and Express's range names", () => {
    const config = loadConfig({ TRUST_PROXY: " 10.213.47.0/24, 172.18.0.5,fd00::/8 , loopback," });

    expect(config.trustProxy).toEqual(["10.213.47.0/24", "172.18.0.5", "fd00::/8", "loopback"]);
  });

  it.each([
    [{ TRUST_PROXY: "true" }, /^TRUST_PROXY must list IP addresses, subnets/],
    [{ TRUST_PROXY: "10.0.0.0/24, proxy" }, /^TRUST_PROXY must list /],
    [{ TRUST_PROXY: "10.0.0.0/33" }, /^TRUST_PROXY must list /],
    [{ PORT: "abc" }, /^PORT must be a whole number from 1 to 65535 \(got "abc"\)$/],
    [{ PORT: "70000" }, /^PORT /],
    [{ API_URL: "api:5001" }, /^API_URL must be an http:\/\/ or https:\/\/ URL \(got "api:5001"\)$/],
    [{ API_URL: "ftp://api" }, /^API_URL /],
    [{ API_TIMEOUT_MS: "0" }, /^API_TIMEOUT_MS /],
    [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL /],
    [{ DATABASE_URL: "mysql://db/x" }, /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/],
    [{ PGPORT: "five" }, /^PGPORT /],
  ])("refuses %o with one line naming the variable", (env, expected) => {
    const message = failure(env);

    expect(message).toMatch(expected);
    expect(message).not.toContain("\n");
  });
});

describe("describeDatabase", () => {
  it("never shows the password", () => {
    expect(describeDatabase({ connectionString: "postgres://alice:s3cret@db:5432/shop" })).toBe(
      "postgres://alice:***@db:5432/shop",
    );
    expect(describeDatabase({ host: "db", port: 5432, user: "alice", database: "shop", password: "s3cret" })).toBe(
      "postgres://alice@db:5432/shop",
    );
  });
});
