import { DEFAULT_THRESHOLD, RESTOCK_STRATEGIES } from "../constants.js";
import { DEFAULT_INPUT_FILE, DEFAULT_OUTPUT_FILE } from "./config.js";
import { FORMAT_CHOICES } from "./input-format.js";

/** The --help text. */
export const USAGE = `Usage: restock [--input FILE] [--output FILE] [--threshold N] [--strategy NAME] [--format NAME]

Reads inventory items, decides which need restocking and writes the result as a
JSON array. Flags override environment variables.

  --input FILE      INPUT_FILE         default ${DEFAULT_INPUT_FILE} (relative to the working directory)
  --output FILE     OUTPUT_FILE        default ${DEFAULT_OUTPUT_FILE}; its folder must exist
  --threshold N     RESTOCK_THRESHOLD  default ${DEFAULT_THRESHOLD}; restock when stock < demand * N
  --strategy NAME   RESTOCK_STRATEGY   ${RESTOCK_STRATEGIES.join(" | ")}, default simple
  --format NAME     INPUT_FORMAT       ${FORMAT_CHOICES.join(" | ")}, default auto (by the input's extension)
  --help                               show this text

Input formats (the output is the same JSON array for all three):
  json    a JSON array of { "item", "stock", "sales", "sales_history"? } objects,
          read whole; for .json and any other extension
  ndjson  one such object per line, streamed; for .ndjson and .jsonl
  csv     header item,stock,sales (any order), one item per row, streamed; for .csv
NDJSON and CSV are read and written as streams, in flat memory. A bad line
stops the job with its line number and field, and the old output is kept.

Exit codes: 0 done, 1 bad input or cannot write output, 2 bad flag or variable,
130/143 interrupted by SIGINT/SIGTERM while writing (never a half-written output).
`;
