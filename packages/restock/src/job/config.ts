/**
 * The job's settings: argv (parseCliArgs) merged over the environment over defaults, validated
 * in one pass (resolveConfig). The only code that reads the argv and environment main.ts hands in.
 */
import { extname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { isDecimalText } from "../inventory.js";
import type { RestockStrategy } from "../rule.js";
import { DEFAULT_STRATEGY, DEFAULT_THRESHOLD, strategySchema, thresholdSchema } from "../rule.js";
import { EXIT_USAGE, errorCode, JobError, oneLineMessage } from "./errors.js";

export const DEFAULT_INPUT_FILE = "data/input_data.json";
export const DEFAULT_OUTPUT_FILE = "data/output_data.json";

/** How the input file is read: a whole JSON array, or streamed one item per line / CSV record. */
export const INPUT_FORMATS = ["json", "ndjson", "csv"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** What --format / INPUT_FORMAT accept: a format, or `auto` to go by the file's extension. */
export const FORMAT_CHOICES = ["auto", ...INPUT_FORMATS] as const;
export type FormatChoice = (typeof FORMAT_CHOICES)[number];

/** The job's settings, validated, with absolute paths. */
export interface JobConfig {
  inputFile: string;
  /** How to read inputFile: from --format / INPUT_FORMAT, or its extension. */
  inputFormat: InputFormat;
  outputFile: string;
  threshold: number;
  strategy: RestockStrategy;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The flags as typed; values are validated later, together with the environment. */
export interface CliFlags {
  help: boolean;
  input?: string | undefined;
  output?: string | undefined;
  threshold?: string | undefined;
  strategy?: string | undefined;
  format?: string | undefined;
}

const OPTIONS = {
  input: { type: "string" },
  output: { type: "string" },
  threshold: { type: "string" },
  strategy: { type: "string" },
  format: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Parses argv (without node and the script). An unknown flag or a stray argument throws a usage JobError. */
export function parseCliArgs(argv: readonly string[]): CliFlags {
  try {
    const { values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
    return { ...values, help: values.help ?? false };
  } catch (err) {
    throw new JobError(EXIT_USAGE, `${describeArgsError(err)} (see restock --help)`);
  }
}

function describeArgsError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (errorCode(err)) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoted ?? message}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${JSON.stringify(quoted ?? message)}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const flag = /--[\w-]+/.exec(quoted ?? "")?.[0];
      if (flag === undefined) return oneLineMessage(err);
      return message.includes("does not take an argument") ? `${flag} does not take a value` : `${flag} needs a value`;
    }
    default:
      return oneLineMessage(err);
  }
}

const SETTINGS = {
  input: { flag: "--input", env: "INPUT_FILE", fallback: DEFAULT_INPUT_FILE },
  output: { flag: "--output", env: "OUTPUT_FILE", fallback: DEFAULT_OUTPUT_FILE },
  threshold: { flag: "--threshold", env: "RESTOCK_THRESHOLD", fallback: String(DEFAULT_THRESHOLD) },
  strategy: { flag: "--strategy", env: "RESTOCK_STRATEGY", fallback: DEFAULT_STRATEGY },
  format: { flag: "--format", env: "INPUT_FORMAT", fallback: "auto" },
} as const;

type Setting = keyof typeof SETTINGS;

/** One setting's text and where it came from: `--threshold`, `RESTOCK_THRESHOLD` or `default threshold`. */
interface RawSetting {
  value: string;
  label: string;
}

function pathSchema(setting: Setting) {
  return z.string().refine((path) => path.trim() !== "", { error: `${setting} must be a non-empty path` });
}

/**
 * `format must be "auto", "json", "ndjson", or "csv"`. Worded only when needed: the first
 * Intl.ListFormat loads ICU's data, 30 ms and 6 MB of RSS that every run paid at start-up.
 */
function formatMessage(): string {
  const names = FORMAT_CHOICES.map((name) => `"${name}"`);
  return `format must be ${new Intl.ListFormat("en", { type: "disjunction" }).format(names)}`;
}

/** The merged flags and variables, all text, checked in one pass. */
const rawConfigSchema = z.object({
  input: pathSchema("input"),
  output: pathSchema("output"),
  threshold: z.string().transform(decimalText).pipe(thresholdSchema),
  strategy: z.string().trim().pipe(strategySchema),
  format: z
    .string()
    .trim()
    .pipe(z.enum(FORMAT_CHOICES, { error: formatMessage })),
});

/**
 * Merges flags over environment over defaults, validates once, and resolves paths against cwd.
 * An empty or blank variable counts as unset. A bad value throws a usage JobError naming the
 * flag or variable it came from: `RESTOCK_THRESHOLD must be a number > 0 (got "abc")`.
 */
export function resolveConfig(flags: CliFlags, env: Env, cwd: string): JobConfig {
  const raw = {
    input: pick("input", flags, env),
    output: pick("output", flags, env),
    threshold: pick("threshold", flags, env),
    strategy: pick("strategy", flags, env),
    format: pick("format", flags, env),
  };
  const result = rawConfigSchema.safeParse({
    input: raw.input.value,
    output: raw.output.value,
    threshold: raw.threshold.value,
    strategy: raw.strategy.value,
    format: raw.format.value,
  });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const setting = issue.path[0];
      if (typeof setting !== "string" || !(setting in raw)) return issue.message;
      const { label, value } = raw[setting as Setting];
      return `${relabel(issue.message, setting, label)} (got ${JSON.stringify(value)})`;
    });
    throw new JobError(EXIT_USAGE, problems.join("; "));
  }
  const { input, output, threshold, strategy, format } = result.data;
  const inputFile = resolve(cwd, input);
  return {
    inputFile,
    inputFormat: resolveInputFormat(format, inputFile),
    outputFile: resolve(cwd, output),
    threshold,
    strategy,
  };
}

function pick(setting: Setting, flags: CliFlags, env: Env): RawSetting {
  const { flag, env: variable, fallback } = SETTINGS[setting];
  const fromFlag = flags[setting];
  if (fromFlag !== undefined) return { value: fromFlag, label: flag };
  const fromEnv = env[variable];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return { value: fromEnv, label: variable };
  return { value: fallback, label: `default ${setting}` };
}

/** "threshold must be ..." -> "--threshold must be ..." */
function relabel(message: string, setting: string, label: string): string {
  return message.startsWith(`${setting} `) ? `${label}${message.slice(setting.length)}` : `${label}: ${message}`;
}

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

/**
 * Plain decimal text (isDecimalText, the rule CSV cells follow too) to a number; anything else
 * (hex, "", "abc") becomes NaN so a schema rejects it.
 */
export function decimalText(text: string): number {
  return isDecimalText(text) ? Number(text.trim()) : Number.NaN;
}
