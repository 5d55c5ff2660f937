import { describe, it, expect } from "vitest";
import { weightedDemand } from "./weighted-demand.js";

describe("weightedDemand", () => {
  it("a one-entry history is that entry", () => {
    expect(weightedDemand([7])).toBe(7);
  });

  it("a two-entry history weighs 1 and 2: (1a + 2b) / 3", () => {
    expect(weightedDemand([3, 6])).toBe((3 + 12) / 3);
  });

  it("a three-entry history weighs 1, 2, 3: (1a + 2b + 3c) / 6", () => {
    expect(weightedDemand([6, 12, 8])).toBe((6 + 24 + 24) / 6);
  });

  it("a five-entry history uses only the last three", () => {
    expect(weightedDemand([100, 100, 3, 4, 5])).toBeCloseTo((3 + 8 + 15) / 6, 12);
  });

  it("the newest period counts most", () => {
    expect(weightedDemand([0, 0, 6])).toBe(3);
    expect(weightedDemand([6, 0, 0])).toBe(1);
  });

  it("an empty history is a RangeError", () => {
    expect(() => weightedDemand([])).toThrow(RangeError);
  });
});
