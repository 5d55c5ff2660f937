import { readFile } from "node:fs/promises";
import { parseInventory } from "../parse-inventory.js";
import { InventoryError } from "../inventory-error.js";
import type { InventoryItem } from "../types.js";
import { JobError } from "./job-error.js";
import { EXIT_FAILURE } from "./exit-codes.js";
import { inputReadError } from "./input-read-error.js";

/** Reads, parses and validates a JSON array input file whole; every failure is a JobError naming the file. */
export async function readInventoryFile(path: string): Promise<InventoryItem[]> {
  // The text is not kept in a variable, so it can be collected while the items are validated.
  const data = parseJson(path, await readText(path));
  try {
    return parseInventory(data);
  } catch (error) {
    if (error instanceof InventoryError) throw new JobError(EXIT_FAILURE, `${path}: ${error.message}`);
    throw error;
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw inputReadError(path, error);
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JobError(EXIT_FAILURE, `${path} is not valid JSON: ${reason.replace(/\s+/g, " ").trim()}`);
  }
}
