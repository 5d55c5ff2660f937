import { describe, it, expect } from "vitest";
import { resolveConfig } from "./config.js";
import { JobError } from "./job-error.js";
import type { CliFlags } from "./cli-args.js";

const noFlags: CliFlags = { help: false };

function usageErrorFrom(flags: CliFlags, env: Record<string, string>): JobError {
  try {
    resolveConfig(flags, env, "/work");
  } catch (error) {
    if (error instanceof JobError) return error;
    throw error;
  }
  throw new Error("expected resolveConfig to throw");
}

describe("resolveConfig", () => {
  it("defaults to data/ files under cwd, threshold 2 and the simple strategy", () => {
    expect(resolveConfig(noFlags, {}, "/work")).toEqual({
      inputFile: "/work/data/input_data.json",
      inputFormat: "json",
      outputFile: "/work/data/output_data.json",
      threshold: 2,
      strategy: "simple",
    });
  });

  it("reads the environment", () => {
    const env = { INPUT_FILE: "in.json", OUTPUT_FILE: "/out/x.json", RESTOCK_THRESHOLD: "1.5", RESTOCK_STRATEGY: "weighted" };

    expect(resolveConfig(noFlags, env, "/work")).toEqual({
      inputFile: "/work/in.json",
      inputFormat: "json",
      outputFile: "/out/x.json",
      threshold: 1.5,
      strategy: "weighted",
    });
  });

  it("flags override the environment", () => {
    const env = { RESTOCK_THRESHOLD: "abc", RESTOCK_STRATEGY: "fancy" };

    const config = resolveConfig({ help: false, threshold: "3", strategy: "weighted" }, env, "/work");

    expect(config).toMatchObject({ threshold: 3, strategy: "weighted" });
  });

  it("an empty variable counts as unset", () => {
    expect(resolveConfig(noFlags, { RESTOCK_THRESHOLD: "", INPUT_FILE: " " }, "/work")).toMatchObject({
      threshold: 2,
      inputFile: "/work/data/input_data.json",
    });
  });

  it("a non-numeric RESTOCK_THRESHOLD names the variable and the value", () => {
    const error = usageErrorFrom(noFlags, { RESTOCK_THRESHOLD: "abc" });

    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('RESTOCK_THRESHOLD must be a number > 0 (got "abc")');
  });

  it.each(["0", "-1", "0x10", "1,5", "Infinity"])("--threshold %s is rejected, naming the flag", (threshold) => {
    expect(usageErrorFrom({ help: false, threshold }, {}).message).toBe(
      `--threshold must be a number > 0 (got ${JSON.stringify(threshold)})`,
    );
  });

  it("an unknown strategy names the flag and the value", () => {
    expect(usageErrorFrom({ help: false, strategy: "fancy" }, {}).message).toBe(
      '--strategy must be "simple" or "weighted" (got "fancy")',
    );
  });

  it("reports every bad setting on one line", () => {
    const error = usageErrorFrom({ help: false, output: "" }, { RESTOCK_THRESHOLD: "abc", RESTOCK_STRATEGY: "fancy" });

    expect(error.message).toBe(
      '--output must be a non-empty path (got ""); RESTOCK_THRESHOLD must be a number > 0 (got "abc"); ' +
        'RESTOCK_STRATEGY must be "simple" or "weighted" (got "fancy")',
    );
    expect(error.message).not.toContain("\n");
  });

  it("the input format follows the input file's extension by default", () => {
    expect(resolveConfig(noFlags, { INPUT_FILE: "stock.ndjson" }, "/work").inputFormat).toBe("ndjson");
    expect(resolveConfig({ help: false, input: "stock.CSV" }, {}, "/work").inputFormat).toBe("csv");
  });

  it("--format and INPUT_FORMAT override the extension, the flag first", () => {
    expect(resolveConfig(noFlags, { INPUT_FILE: "stock.txt", INPUT_FORMAT: "ndjson" }, "/work").inputFormat).toBe("ndjson");
    expect(resolveConfig({ help: false, format: "csv" }, { INPUT_FORMAT: "ndjson" }, "/work").inputFormat).toBe("csv");
  });

  it("an unknown format names the variable and the value", () => {
    expect(usageErrorFrom(noFlags, { INPUT_FORMAT: "xml" }).message).toBe(
      'INPUT_FORMAT must be "auto", "json", "ndjson", or "csv" (got "xml")',
    );
  });
});
