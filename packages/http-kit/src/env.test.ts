import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigError,
  envHttpUrl,
  envLogLevel,
  envMetricsPort,
  envNonBlank,
  envPort,
  envPositiveInt,
  parseEnv,
  requireSeparateMetricsPort,
} from "./env.js";

const schema = z.object({
  PORT: envPort(5000),
  API_URL: envHttpUrl("http://api:5001"),
  LOG_LEVEL: envLogLevel,
  LIMIT: envPositiveInt(50),
});

describe("parseEnv", () => {
  it("fills in the defaults when nothing is set", () => {
    expect(parseEnv(schema, {})).toEqual({ PORT: 5000, API_URL: "http://api:5001", LOG_LEVEL: "info", LIMIT: 50 });
  });

  it("returns a frozen object, so config cannot change after start-up", () => {
    expect(Object.isFrozen(parseEnv(schema, {}))).toBe(true);
  });

  it("reads values that are set, trimming stray spaces", () => {
    const config = parseEnv(schema, { PORT: " 8080 ", API_URL: "https://example.test:9000", LIMIT: "7" });
    expect(config).toMatchObject({ PORT: 8080, API_URL: "https://example.test:9000", LIMIT: 7 });
  });

  it.each([
    ["abc", 'PORT must be a whole number from 1 to 65535 (got "abc")'],
    ["0", 'PORT must be a whole number from 1 to 65535 (got "0")'],
    ["70000", 'PORT must be a whole number from 1 to 65535 (got "70000")'],
    ["80.5", 'PORT must be a whole number from 1 to 65535 (got "80.5")'],
  ])("rejects PORT=%s with one line naming the variable", (value, message) => {
    expect(() => parseEnv(schema, { PORT: value })).toThrow(new ConfigError(message));
  });

  it("rejects a URL that is not http(s), naming the variable", () => {
    expect(() => parseEnv(schema, { API_URL: "api:5001" })).toThrow(
      'API_URL must be an http:// or https:// URL (got "api:5001")',
    );
    expect(() => parseEnv(schema, { API_URL: "ftp://api" })).toThrow(/^API_URL must be an http/);
  });

  it("rejects an unknown log level, listing the allowed ones", () => {
    expect(() => parseEnv(schema, { LOG_LEVEL: "loud" })).toThrow(/^LOG_LEVEL must be one of fatal, error/);
  });

  it("says when a required variable is not set", () => {
    const required = z.object({ SECRET: z.string({ error: "is required" }) });
    expect(() => parseEnv(required, {})).toThrow("SECRET is required (it is not set)");
  });
});

describe("METRICS_PORT", () => {
  const ports = requireSeparateMetricsPort(z.object({ PORT: envPort(5000), METRICS_PORT: envMetricsPort }));

  it("defaults to 9464 and reads a port like PORT does", () => {
    expect(parseEnv(ports, {})).toEqual({ PORT: 5000, METRICS_PORT: 9464 });
    expect(parseEnv(ports, { METRICS_PORT: " 9100 " })).toEqual({ PORT: 5000, METRICS_PORT: 9100 });
    expect(() => parseEnv(ports, { METRICS_PORT: "0" })).toThrow(/^METRICS_PORT must be a whole number from 1/);
  });

  it("refuses the service's own PORT, naming METRICS_PORT", () => {
    expect(() => parseEnv(ports, { PORT: "9464" })).toThrow(
      new ConfigError("METRICS_PORT must differ from PORT, which is 9464 too: both listen on HOST (it is not set)"),
    );
    expect(() => parseEnv(ports, { PORT: "8080", METRICS_PORT: "8080" })).toThrow(
      'METRICS_PORT must differ from PORT, which is 8080 too: both listen on HOST (got "8080")',
    );
  });
});

describe("parseEnv with a secret", () => {
  it("names the variable but never echoes a credential's value", () => {
    const schema = z.object({ DATABASE_URL: z.url({ error: "must be a postgres:// URL" }) });
    const attempt = () => parseEnv(schema, { DATABASE_URL: "hunter2-not-a-url" });
    expect(attempt).toThrow("DATABASE_URL must be a postgres:// URL (got a value of 17 characters, not shown)");
  });
});

describe("parseEnv with empty values", () => {
  it("treats an empty or blank variable as unset, so the default applies", () => {
    expect(parseEnv(schema, { PORT: "", LIMIT: "  " })).toMatchObject({ PORT: 5000, LIMIT: 50 });
  });
});

describe("envNonBlank", () => {
  const names = z.object({ HOST: envNonBlank("0.0.0.0"), MESSAGE: envNonBlank("hi", { trim: false }) });

  it("trims by default, and keeps the spaces of a value read exactly as given", () => {
    expect(parseEnv(names, { HOST: " 127.0.0.1 ", MESSAGE: "  hello  " })).toEqual({
      HOST: "127.0.0.1",
      MESSAGE: "  hello  ",
    });
  });

  it("falls back to the default when the value is empty or blank", () => {
    expect(parseEnv(names, { HOST: "  ", MESSAGE: "" })).toEqual({ HOST: "0.0.0.0", MESSAGE: "hi" });
  });

  it("refuses a blank value when used outside parseEnv", () => {
    expect(names.safeParse({ HOST: "   " }).success).toBe(false);
  });
});
