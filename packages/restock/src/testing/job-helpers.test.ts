import { describe, expect, it } from "vitest";
import { batchesOf } from "./job-helpers.js";

describe("batchesOf", () => {
  it("cuts a list into batches in order, the last one shorter", () => {
    expect([...batchesOf([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("an empty list is no batches", () => {
    expect([...batchesOf([], 2)]).toEqual([]);
  });
});
