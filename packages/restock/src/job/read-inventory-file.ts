import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseInventory } from "../parse-inventory.js";
import { InventoryError } from "../inventory-error.js";
import type { InventoryItem } from "../types.js";
import { JobError } from "./job-error.js";
import { EXIT_FAILURE } from "./exit-codes.js";
import { describeFsError, errorCode } from "./describe-fs-error.js";
import { mountHint } from "./mount-hint.js";

/** Reads, parses and validates the input file; every failure is a JobError naming the file. */
export async function readInventoryFile(path: string): Promise<InventoryItem[]> {
  const text = await readText(path);
  const data = parseJson(path, text);
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
    const hint = errorCode(error) === "ENOENT" ? `. ${mountHint(basename(path))}` : "";
    throw new JobError(EXIT_FAILURE, `cannot read input file ${path}: ${describeFsError(error)}${hint}`);
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
