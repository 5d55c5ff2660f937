import { describe, it, expect } from "vitest";
import { decimalText, isDecimalText } from "./decimal-text.js";

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
