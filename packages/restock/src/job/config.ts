import { resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_STRATEGY, DEFAULT_THRESHOLD } from "../constants.js";
import type { RestockStrategy } from "../constants.js";
import { strategySchema, thresholdSchema } from "../schemas.js";
import { JobError } from "./job-error.js";
import { EXIT_USAGE } from "./exit-codes.js";
import type { CliFlags } from "./cli-args.js";
import { FORMAT_CHOICES, resolveInputFormat } from "./input-format.js";
import type { InputFormat } from "./input-format.js";
import { decimalText } from "./decimal-text.js";

export const DEFAULT_INPUT_FILE = "data/input_data.json";
export const DEFAULT_OUTPUT_FILE = "data/output_data.json";

/** The job's settings, validated, with absolute paths. */
export type JobConfig = {
  inputFile: string;
  /** How to read inputFile: from --format / INPUT_FORMAT, or its extension. */
  inputFormat: InputFormat;
  outputFile: string;
  threshold: number;
  strategy: RestockStrategy;
};

export type Env = Readonly<Record<string, string | undefined>>;

const SETTINGS = {
  input: { flag: "--input", env: "INPUT_FILE", fallback: DEFAULT_INPUT_FILE },
  output: { flag: "--output", env: "OUTPUT_FILE", fallback: DEFAULT_OUTPUT_FILE },
  threshold: { flag: "--threshold", env: "RESTOCK_THRESHOLD", fallback: String(DEFAULT_THRESHOLD) },
  strategy: { flag: "--strategy", env: "RESTOCK_STRATEGY", fallback: DEFAULT_STRATEGY },
  format: { flag: "--format", env: "INPUT_FORMAT", fallback: "auto" },
} as const;

type Setting = keyof typeof SETTINGS;
type RawSetting = { value: string; label: string };

function pathSchema(setting: Setting) {
  return z.string().refine((path) => path.trim() !== "", { error: `${setting} must be a non-empty path` });
}

/** `format must be "auto", "json", "ndjson", or "csv"` */
const FORMAT_MESSAGE = `format must be ${new Intl.ListFormat("en", { type: "disjunction" }).format(FORMAT_CHOICES.map((name) => `"${name}"`))}`;

/** The merged flags and variables, all text, checked in one pass. */
const rawConfigSchema = z.object({
  input: pathSchema("input"),
  output: pathSchema("output"),
  threshold: z.string().transform(decimalText).pipe(thresholdSchema),
  strategy: z.string().trim().pipe(strategySchema),
  format: z.string().trim().pipe(z.enum(FORMAT_CHOICES, { error: FORMAT_MESSAGE })),
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
  return { inputFile, inputFormat: resolveInputFormat(format, inputFile), outputFile: resolve(cwd, output), threshold, strategy };
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
