import { describe, it, expect } from "vitest";
import { inputFormatFromPath, resolveInputFormat } from "./input-format.js";

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
