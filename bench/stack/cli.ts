import type { ParseArgsOptionsConfig } from "node:util";
import { parseArgs } from "node:util";

/**
 * Every script's flags: `--write <file>` appends the Markdown section to a
 * file, `--quick` makes a short smoke run, plus the script's own options.
 */
export function parseFlags<T extends ParseArgsOptionsConfig>(extra: T) {
  const { values } = parseArgs({
    options: {
      write: { type: "string" },
      quick: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      ...extra,
    },
    strict: true,
    allowPositionals: false,
  });
  return values;
}

const cleanups: Array<() => Promise<void> | void> = [];

/** Aborted on Ctrl-C or SIGTERM: commands started with its signal (execa's `cancelSignal`) are stopped before the cleanups run. */
export const interrupted = new AbortController();

/** Registers teardown work; it runs once, newest first, on success, error, Ctrl-C or SIGTERM. */
export function onCleanup(work: () => Promise<void> | void): void {
  cleanups.push(work);
}

let cleaning: Promise<void> | undefined;

/** Runs the cleanups once; a second caller (a signal during the normal teardown) waits for the same run. */
function runCleanups(): Promise<void> {
  cleaning ??= drainCleanups();
  return cleaning;
}

async function drainCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const work = cleanups.pop()!;
    try {
      await work();
    } catch (err) {
      log(`cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Progress goes to stderr; stdout carries only the Markdown section. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/**
 * Runs a script's body and always runs the registered cleanups (`down -v`,
 * restoring edited files). A first Ctrl-C cleans up and exits 130; a second
 * one kills at once.
 */
export async function runScript(body: () => Promise<void>): Promise<void> {
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up (press Ctrl-C again to abandon the cleanup)`);
    process.exitCode = 130;
    interrupted.abort();
    void runCleanups().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await body();
  } catch (err) {
    process.exitCode = 1;
    log(`failed: ${describeFailure(err)}`);
  } finally {
    await runCleanups();
  }
}

/** An execa failure as its command and the tail of its stderr, not its whole output. */
function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { shortMessage, stderr } = err as Error & { shortMessage?: string; stderr?: unknown };
  if (!shortMessage) return err.stack ?? err.message;
  const tail = typeof stderr === "string" ? stderr.trim().split("\n").slice(-15).join("\n") : "";
  return `${shortMessage}${tail ? `\n${tail}` : ""}`;
}
