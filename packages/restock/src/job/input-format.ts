import { extname } from "node:path";

/** How the input file is read: a whole JSON array, or streamed one item per line / CSV record. */
export const INPUT_FORMATS = ["json", "ndjson", "csv"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** What --format / INPUT_FORMAT accept: a format, or `auto` to go by the file's extension. */
export const FORMAT_CHOICES = ["auto", ...INPUT_FORMATS] as const;
export type FormatChoice = (typeof FORMAT_CHOICES)[number];

const BY_EXTENSION: Readonly<Record<string, InputFormat>> = {
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".csv": "csv",
};

/**
 * The format for `auto`: `.ndjson` and `.jsonl` are NDJSON, `.csv` is CSV (any letter case).
 * Everything else, `.json` included, is a JSON array, as every input was before the other
 * formats existed, so an input named `stock.txt` keeps working.
 */
export function inputFormatFromPath(path: string): InputFormat {
  return BY_EXTENSION[extname(path).toLowerCase()] ?? "json";
}

/** The format to read: the one chosen, or the one the extension implies for `auto`. */
export function resolveInputFormat(choice: FormatChoice, path: string): InputFormat {
  return choice === "auto" ? inputFormatFromPath(path) : choice;
}
