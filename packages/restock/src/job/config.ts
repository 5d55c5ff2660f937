import { resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_STRATEGY, DEFAULT_THRESHOLD } from "../constants.js";
import type { RestockStrategy } from "../constants.js";
import { strategySchema, thresholdSchema } from "../schemas.js";
import { JobError } from "./job-error.js";
import { EXIT_USAGE } from "./exit-codes.js";
import type { CliFlags } from "./cli-args.js";

export const DEFAULT_INPUT_FILE = "data/input_data.json";
export const DEFAULT_OUTPUT_FILE = "data/output_data.json";

/** The job's settings, validated, with absolute paths. */
export type JobConfig = {
  inputFile: string;
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
} as const;

type Setting = keyof typeof SETTINGS;
type RawSetting = { value: string; label: string };

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Plain decimal text to a number; anything else (hex, "", "abc") becomes NaN so the schema rejects it. */
function decimalText(text: string): number {
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : Number.NaN;
}

function pathSchema(setting: Setting) {
  return z.string().refine((path) => path.trim() !== "", { error: `${setting} must be a non-empty path` });
}

/** The merged flags and variables, all text, checked in one pass. */
const rawConfigSchema = z.object({
  input: pathSchema("input"),
  output: pathSchema("output"),
  threshold: z.string().transform(decimalText).pipe(thresholdSchema),
  strategy: z.string().trim().pipe(strategySchema),
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
  };
  const result = rawConfigSchema.safeParse({
    input: raw.input.value,
    output: raw.output.value,
    threshold: raw.threshold.value,
    strategy: raw.strategy.value,
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
  const { input, output, threshold, strategy } = result.data;
  return { inputFile: resolve(cwd, input), outputFile: resolve(cwd, output), threshold, strategy };
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
