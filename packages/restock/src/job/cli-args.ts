import { parseArgs } from "node:util";
import { JobError } from "./job-error.js";
import { EXIT_USAGE } from "./exit-codes.js";
import { errorCode } from "./describe-fs-error.js";

/** The flags as typed; values are validated later, together with the environment. */
export type CliFlags = {
  help: boolean;
  input?: string | undefined;
  output?: string | undefined;
  threshold?: string | undefined;
  strategy?: string | undefined;
  format?: string | undefined;
};

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
  } catch (error) {
    throw new JobError(EXIT_USAGE, `${describeArgsError(error)} (see restock --help)`);
  }
}

function describeArgsError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (errorCode(error)) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoted ?? message}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${JSON.stringify(quoted ?? message)}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const flag = /--[\w-]+/.exec(quoted ?? "")?.[0];
      if (flag === undefined) return oneLine(message);
      return message.includes("does not take an argument") ? `${flag} does not take a value` : `${flag} needs a value`;
    }
    default:
      return oneLine(message);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
