import { describe, expect, it } from "vitest";
import { isDecimalText } from "../inventory.js";
import type { CliFlags } from "./config.js";
import { decimalText, inputFormatFromPath, parseCliArgs, resolveConfig, resolveInputFormat } from "./config.js";
import { JobError } from "./errors.js";

describe("parseCliArgs", () => {
  it("reads every flag, in both --flag value and --flag=value forms", () => {
    const flags = parseCliArgs([
      "--input",
      "in.json",
      "--output=out.json",
      "--threshold",
      "3",
      "--strategy=weighted",
      "--format",
      "csv",
    ]);

    expect(flags).toEqual({
      help: false,
      input: "in.json",
      output: "out.json",
      threshold: "3",
      strategy: "weighted",
      format: "csv",
    });
  });

  it("reads --help and -h", () => {
    expect(parseCliArgs(["--help"]).help).toBe(true);
    expect(parseCliArgs(["-h"]).help).toBe(true);
  });

  it("an unknown flag is a usage error naming it", () => {
    expect(() => parseCliArgs(["--fancy"])).toThrow(new JobError(2, "unknown option --fancy (see restock --help)"));
  });

  it("a flag without its value is a usage error naming it", () => {
    expect(() => parseCliArgs(["--threshold"])).toThrow(
      new JobError(2, "--threshold needs a value (see restock --help)"),
    );
  });

  it("a stray argument is a usage error", () => {
    expect(() => parseCliArgs(["data.json"])).toThrow(
      new JobError(2, 'unexpected argument "data.json" (see restock --help)'),
    );
  });
});

const noFlags: CliFlags = { help: false };

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
    const env = {
      INPUT_FILE: "in.json",
      OUTPUT_FILE: "/out/x.json",
      RESTOCK_THRESHOLD: "1.5",
      RESTOCK_STRATEGY: "weighted",
    };

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
    expect(() => resolveConfig(noFlags, { RESTOCK_THRESHOLD: "abc" }, "/work")).toThrow(
      new JobError(2, 'RESTOCK_THRESHOLD must be a number > 0 (got "abc")'),
    );
  });

  it.each(["0", "-1", "0x10", "1,5", "Infinity"])("--threshold %s is rejected, naming the flag", (threshold) => {
    expect(() => resolveConfig({ help: false, threshold }, {}, "/work")).toThrow(
      new JobError(2, `--threshold must be a number > 0 (got ${JSON.stringify(threshold)})`),
    );
  });

  it("an unknown strategy names the flag and the value", () => {
    expect(() => resolveConfig({ help: false, strategy: "fancy" }, {}, "/work")).toThrow(
      new JobError(2, '--strategy must be "simple" or "weighted" (got "fancy")'),
    );
  });

  it("reports every bad setting on one line", () => {
    const resolve = () =>
      resolveConfig({ help: false, output: "" }, { RESTOCK_THRESHOLD: "abc", RESTOCK_STRATEGY: "fancy" }, "/work");

    expect(resolve).toThrow(
      new JobError(
        2,
        '--output must be a non-empty path (got ""); RESTOCK_THRESHOLD must be a number > 0 (got "abc"); ' +
          'RESTOCK_STRATEGY must be "simple" or "weighted" (got "fancy")',
      ),
    );
    expect(resolve).toThrow(expect.objectContaining({ message: expect.not.stringContaining("\n") }));
  });

  it("the input format follows the input file's extension by default", () => {
    expect(resolveConfig(noFlags, { INPUT_FILE: "stock.ndjson" }, "/work").inputFormat).toBe("ndjson");
    expect(resolveConfig({ help: false, input: "stock.CSV" }, {}, "/work").inputFormat).toBe("csv");
  });

  it("--format and INPUT_FORMAT override the extension, the flag first", () => {
    expect(resolveConfig(noFlags, { INPUT_FILE: "stock.txt", INPUT_FORMAT: "ndjson" }, "/work").inputFormat).toBe(
      "ndjson",
    );
    expect(resolveConfig({ help: false, format: "csv" }, { INPUT_FORMAT: "ndjson" }, "/work").inputFormat).toBe("csv");
  });

  it("an unknown format names the variable and the value", () => {
    expect(() => resolveConfig(noFlags, { INPUT_FORMAT: "xml" }, "/work")).toThrow(
      new JobError(2, 'INPUT_FORMAT must be "auto", "json", "ndjson", or "csv" (got "xml")'),
    );
  });
});

describe("inputFormatFromPath", () => {
  it.each([
    ["/app/data/input_data.json", "json"],
    ["stock.ndjson", "ndjson"],
    ["stock.jsonl", "ndjson"],
    ["stock.csv", "csv"],
    ["STOCK.CSV", "csv"],
  ] as const)("%s is %s", (path, format) => {
    expect(inputFormatFromPath(path)).toBe(format);
  });

  it("an unknown or missing extension is a JSON array, as before", () => {
    expect(inputFormatFromPath("stock.txt")).toBe("json");
    expect(inputFormatFromPath("/data/stock")).toBe("json");
  });
});

describe("resolveInputFormat", () => {
  it("an explicit format wins over the extension", () => {
    expect(resolveInputFormat("csv", "stock.json")).toBe("csv");
  });

  it("auto goes by the extension", () => {
    expect(resolveInputFormat("auto", "stock.jsonl")).toBe("ndjson");
  });
});

describe("decimalText", () => {
  it.each([
    ["5", 5],
    [" 1.5 ", 1.5],
    [".5", 0.5],
    ["-2", -2],
    ["2e3", 2000],
  ])("%j is %d", (text, value) => {
    expect(decimalText(text)).toBe(value);
    expect(isDecimalText(text)).toBe(true);
  });

  it.each(["", "  ", "abc", "0x10", "1,5", "Infinity"])("%j is not a decimal", (text) => {
    expect(decimalText(text)).toBeNaN();
    expect(isDecimalText(text)).toBe(false);
  });
});
