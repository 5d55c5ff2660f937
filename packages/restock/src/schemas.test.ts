import { describe, it, expect } from "vitest";
import { z } from "zod";
import { inventoryItemSchema, strategySchema, thresholdSchema } from "./schemas.js";

describe("schemas", () => {
  it("item messages name the field in plain words", () => {
    const result = inventoryItemSchema.safeParse({ item: "Widget", stock: 5, sales: -4 });

    expect(result.error?.issues.map((issue) => issue.message)).toEqual(["sales must be a number >= 0"]);
  });

  it("stock and sales reject Infinity", () => {
    expect(inventoryItemSchema.safeParse({ item: "Widget", stock: Infinity, sales: 1 }).success).toBe(false);
  });

  it("thresholdSchema works inside a bigger object", () => {
    const settings = z.object({ threshold: thresholdSchema, strategy: strategySchema });

    expect(settings.parse({ threshold: 1.5, strategy: "weighted" })).toEqual({ threshold: 1.5, strategy: "weighted" });
    expect(settings.safeParse({ threshold: 0, strategy: "simple" }).error?.issues).toMatchObject([
      { path: ["threshold"], message: "threshold must be a number > 0" },
    ]);
  });

  it("thresholdSchema accepts numbers only, not numeric text", () => {
    expect(thresholdSchema.safeParse("2").success).toBe(false);
  });
});
