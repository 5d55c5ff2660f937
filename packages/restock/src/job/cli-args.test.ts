import { describe, it, expect } from "vitest";
import { parseCliArgs } from "./cli-args.js";
import { JobError } from "./job-error.js";

function usageErrorFrom(argv: string[]): JobError {
  try {
    parseCliArgs(argv);
  } catch (error) {
    if (error instanceof JobError) return error;
    throw error;
  }
  throw new Error("expected parseCliArgs to throw");
}

describe("parseCliArgs", () => {
  it("reads every flag, in both --flag value and --flag=value forms", () => {
    const flags = parseCliArgs(["--input", "in.json", "--output=out.json", "--threshold", "3", "--strategy=weighted", "--format", "csv"]);

    expect(flags).toEqual({ help: false, input: "in.json", output: "out.json", threshold: "3", strategy: "weighted", format: "csv" });
  });

  it("reads --help and -h", () => {
    expect(parseCliArgs(["--help"]).help).toBe(true);
    expect(parseCliArgs(["-h"]).help).toBe(true);
  });

  it("an unknown flag is a usage error naming it", () => {
    const error = usageErrorFrom(["--fancy"]);

    expect(error.exitCode).toBe(2);
    expect(error.message).toBe("unknown option --fancy (see restock --help)");
  });

  it("a flag without its value is a usage error naming it", () => {
    expect(usageErrorFrom(["--threshold"]).message).toBe("--threshold needs a value (see restock --help)");
  });

  it("a stray argument is a usage error", () => {
    expect(usageErrorFrom(["data.json"]).message).toBe('unexpected argument "data.json" (see restock --help)');
  });
});
