import { parseCliArgs } from "./cli-args.js";
import { resolveConfig } from "./config.js";
import type { Env } from "./config.js";
import { openInventory } from "./open-inventory.js";
import { planRecords } from "./plan-records.js";
import { writeOutput } from "./write-output.js";
import { formatSummary } from "./summary.js";
import { USAGE } from "./usage.js";
import { JobError } from "./job-error.js";
import { WriteInterruptedError } from "./signals.js";
import type { SignalSource } from "./signals.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_SIGINT, EXIT_SIGTERM } from "./exit-codes.js";

export type TextSink = { write(text: string): unknown };

/** Everything the job touches from its process, injected so tests can run it in-process. */
export type JobIo = {
  /** Arguments after `node main.js`. */
  argv: readonly string[];
  env: Env;
  /** Relative paths resolve against this. */
  cwd: string;
  stdout: TextSink;
  stderr: TextSink;
  /** Interrupt signals to honour while writing (pass `process`); none when omitted. */
  signals?: SignalSource | undefined;
};

/**
 * Runs the restock job once and returns its exit code: 0 done, 1 bad input or write failure,
 * 2 bad flag or variable, 130/143 interrupted while writing. Failures print one line on stderr.
 * Bad input never touches the output file: a JSON array is validated whole before anything is
 * written; NDJSON and CSV are streamed into a temp file that a bad line abandons.
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
      const { records, tally } = planRecords(source.batches, { threshold: config.threshold, strategy: config.strategy });
      await writeOutput(config.outputFile, records, io.signals);
      io.stdout.write(formatSummary(tally, config.outputFile, config.threshold, config.strategy));
    } finally {
      await source.close();
    }
    return EXIT_OK;
  } catch (error) {
    return report(error, io.stderr);
  }
}

function report(error: unknown, stderr: TextSink): number {
  if (error instanceof JobError) {
    stderr.write(`restock: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof WriteInterruptedError) {
    const outcome = error.committed ? "after the new output was in place" : "before finishing; the output file was left as it was";
    stderr.write(`restock: interrupted by ${error.signal} ${outcome}\n`);
    return error.signal === "SIGINT" ? EXIT_SIGINT : EXIT_SIGTERM;
  }
  const reason = error instanceof Error ? error.message : String(error);
  stderr.write(`restock: unexpected error: ${reason.replace(/\s+/g, " ").trim()}\n`);
  return EXIT_FAILURE;
}
