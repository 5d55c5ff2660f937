import { DEFAULT_THRESHOLD, RESTOCK_STRATEGIES } from "../constants.js";
import { DEFAULT_INPUT_FILE, DEFAULT_OUTPUT_FILE } from "./config.js";

/** The --help text. */
export const USAGE = `Usage: restock [--input FILE] [--output FILE] [--threshold N] [--strategy NAME]

Reads a JSON array of inventory items, decides which need restocking and writes
the result as JSON. Flags override environment variables.

  --input FILE      INPUT_FILE         default ${DEFAULT_INPUT_FILE} (relative to the working directory)
  --output FILE     OUTPUT_FILE        default ${DEFAULT_OUTPUT_FILE}; its folder must exist
  --threshold N     RESTOCK_THRESHOLD  default ${DEFAULT_THRESHOLD}; restock when stock < demand * N
  --strategy NAME   RESTOCK_STRATEGY   ${RESTOCK_STRATEGIES.join(" | ")}, default simple
  --help                               show this text

Exit codes: 0 done, 1 bad input or cannot write output, 2 bad flag or variable,
130/143 interrupted by SIGINT/SIGTERM while writing (never a half-written output).
`;
