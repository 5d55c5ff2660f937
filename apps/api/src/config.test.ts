import { ConfigError } from "@stockroom/http-kit";
import { describe, expect, it } from "vitest";
import { bodyLimitFor, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("uses the documented defaults when nothing is set", () => {
    expect(loadConfig({})).toEqual({
      port: 5001,
      host: "0.0.0.0",
      metricsPort: 9464,
      logLevel: "info",
      apiMessage: "Hello from the API container!",
      restockMaxItems: 10_000,
      bodyLimitBytes: bodyLimitFor(10_000),
    });
  });

  it("returns a frozen object", () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it("reads every variable it documents", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      METRICS_PORT: "9101",
      LOG_LEVEL: "debug",
      API_MESSAGE: "Hello from replica 2",
      RESTOCK_MAX_ITEMS: "50",
    });
    expect(config).toEqual({
      port: 8080,
      host: "127.0.0.1",
      metricsPort: 9101,
      logLevel: "debug",
      apiMessage: "Hello from replica 2",
      restockMaxItems: 50,
      bodyLimitBytes: bodyLimitFor(50),
    });
  });

  it("keeps API_MESSAGE exactly as given, spaces included", () => {
    expect(loadConfig({ API_MESSAGE: "  hi  " }).apiMessage).toBe("  hi  ");
  });

  it.each(["0", "70000", "abc", "5001.5", "-1"])("rejects PORT=%j with a message naming PORT", (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: port })).toThrow(/^PORT must be a whole number from 1 to 65535 \(got /);
  });

  it("refuses a METRICS_PORT equal to PORT, naming METRICS_PORT", () => {
    expect(() => loadConfig({ PORT: "9464" })).toThrow(/^METRICS_PORT must differ from PORT/);
  });

  it.each(["", "   "])("treats API_MESSAGE=%j as unset, so the default greeting applies", (message) => {
    expect(loadConfig({ API_MESSAGE: message }).apiMessage).toBe("Hello from the API container!");
  });

  it("treats an empty HOST as unset, so it listens on 0.0.0.0", () => {
    expect(loadConfig({ HOST: "" }).host).toBe("0.0.0.0");
  });

  it("rejects an unknown LOG_LEVEL, naming it", () => {
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).toThrow(/^LOG_LEVEL must be one of/);
  });

  it.each(["0", "ten", "2000000"])("rejects RESTOCK_MAX_ITEMS=%j, naming it", (limit) => {
    expect(() => loadConfig({ RESTOCK_MAX_ITEMS: limit })).toThrow(/^RESTOCK_MAX_ITEMS must be /);
  });

  it("derives a body limit that grows with the item limit", () => {
    expect(loadConfig({ RESTOCK_MAX_ITEMS: "10" }).bodyLimitBytes).toBeLessThan(loadConfig({}).bodyLimitBytes);
    // 10,000 plain items of ~60 bytes each must fit comfortably.
    expect(bodyLimitFor(10_000)).toBeGreaterThan(10_000 * 60);
  });
});
