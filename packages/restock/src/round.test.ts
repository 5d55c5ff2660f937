import { describe, it, expect } from "vitest";
import { roundTo } from "./round.js";

describe("roundTo", () => {
  it("drops floating-point noise at 9 decimals", () => {
    expect(roundTo(15.000000000000002, 9)).toBe(15);
    expect(roundTo(0.1 + 0.2, 9)).toBe(0.3);
  });

  it("rounds halves up where naive scaling would not (1.005 -> 1.01)", () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
  });

  it("rounds negative numbers symmetrically", () => {
    expect(roundTo(-2.345, 2)).toBe(-2.35);
    expect(roundTo(-1e-12, 9)).toBe(0);
  });

  it("leaves non-finite values alone", () => {
    expect(roundTo(Number.NaN, 2)).toBeNaN();
  });
});
