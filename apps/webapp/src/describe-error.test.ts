import { describe, expect, it } from "vitest";
import { describeError } from "./describe-error.js";

describe("describeError", () => {
  it("uses an error's message", () => {
    expect(describeError(new Error("connect ECONNREFUSED 10.0.0.2:5432"))).toBe("connect ECONNREFUSED 10.0.0.2:5432");
  });

  it("spells out an AggregateError with no message (localhost refusing on ::1 and 127.0.0.1)", () => {
    const err = new AggregateError([
      new Error("connect ECONNREFUSED ::1:1"),
      new Error("connect ECONNREFUSED 127.0.0.1:1"),
    ]);

    expect(describeError(err)).toBe("connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1");
  });

  it("falls back to the code, then the name, then String()", () => {
    expect(describeError(Object.assign(new Error(""), { code: "ECONNRESET" }))).toBe("ECONNRESET");
    expect(describeError(new TypeError(""))).toBe("TypeError");
    expect(describeError("plain")).toBe("plain");
  });
});
