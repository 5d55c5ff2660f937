import type { RestockStrategy } from "../rule.js";
import { DEFAULT_STRATEGY, DEFAULT_THRESHOLD, RESTOCK_STRATEGIES } from "../rule.js";
import type { SignalSource } from "./atomic-write.js";
import { WriteInterruptedError } from "./atomic-write.js";
import type { Env } from "./config.js";
import { DEFAULT_INPUT_FILE, DEFAULT_OUTPUT_FILE, FORMAT_CHOICES, parseCliArgs, resolveConfig } from "./config.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_SIGINT, EXIT_SIGTERM, JobError, oneLineMessage } from "./errors.js";
import { openInventory } from "./read-input.js";
import type { RestockTally } from "./write-output.js";
import { planRecords, writeOutput } from "./write-output.js";

export interface TextSink {
  write(text: string): unknown;
}

/** Everything the job touches from its process, injected so tests can run it in-process. */
export interface JobIo {
  /** Arguments after `node main.js`. */
  argv: readonly string[];
  env: Env;
  /** Relative paths resolve against this. */
  cwd: string;
  stdout: TextSink;
  stderr: TextSink;
  /** Interrupt signals to honour while writing (pass `process`); none when omitted. */
  signals?: SignalSource | undefined;
}

/**
 * Runs the restock job once and returns its exit code: 0 done, 1 bad input or write failure,
 * 2 bad flag or variable, 130/143 interrupted while writing. Failures print one line on stderr.
 * Bad input never touches the output file: every format is written to a temp file as it is read,
 * and a bad item or line abandons it.
 */
export async function runJob(io: JobIo): Promise<number> {
  try {
    const flags = parseCliArgs(io.argv);
    if (flags.help) {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    const config = resolveConfig(flags, io.env, io.cwd);
    const source = await openInventory(config.inputFile, config.inputFormat);
    try {
      const { threshold, strategy } = config;
      const { records, tally } = planRecords(source.batches, { threshold, strategy });
      await writeOutput(config.outputFile, records, io.signals);
      io.stdout.write(formatSummary(tally, config.outputFile, threshold, strategy));
    } finally {
      await source.close();
    }
    return EXIT_OK;
  } catch (err) {
    return report(err, io.stderr);
  }
}

function report(err: unknown, stderr: TextSink): number {
  if (err instanceof JobError) {
    stderr.write(`restock: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof WriteInterruptedError) {
    const outcome = err.committed
      ? "after the new output was in place"
      : "before finishing; the output file was left as it was";
    stderr.write(`restock: interrupted by ${err.signal} ${outcome}\n`);
    return err.signal === "SIGINT" ? EXIT_SIGINT : EXIT_SIGTERM;
  }
  stderr.write(`restock: unexpected error: ${oneLineMessage(err)}\n`);
  return EXIT_FAILURE;
}

/** The two stdout lines of a successful run. */
function formatSummary(tally: RestockTally, outputFile: string, threshold: number, strategy: RestockStrategy): string {
  const { total, restocking } = tally;
  return (
    `Processed ${total} inventory items. Results saved to ${outputFile}\n` +
    `${restocking} of ${total} items need restocking (threshold ${threshold}, strategy ${strategy}).\n`
  );
}

/** The --help text. */
const USAGE = `Usage: restock [--input FILE] [--output FILE] [--threshold N] [--strategy NAME] [--format NAME]

Reads inventory items, decides which need restocking and writes the result as a
JSON array. Flags override environment variables.

  --input FILE      INPUT_FILE         default ${DEFAULT_INPUT_FILE} (relative to the working directory)
  --output FILE     OUTPUT_FILE        default ${DEFAULT_OUTPUT_FILE}; its folder must exist
  --threshold N     RESTOCK_THRESHOLD  default ${DEFAULT_THRESHOLD}; restock when stock < demand * N
  --strategy NAME   RESTOCK_STRATEGY   ${RESTOCK_STRATEGIES.join(" | ")}, default ${DEFAULT_STRATEGY}
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
