import type { z } from "zod";

/** Thrown by parseInventory. `message` is one line for people, `issues` is for programs. */
export class InventoryError extends Error {
  override readonly name = "InventoryError";
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(message: string, issues: readonly z.core.$ZodIssue[]) {
    super(message);
    this.issues = issues;
  }
}
