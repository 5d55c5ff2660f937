// What every bench script shares: its flags, progress on stderr, cleanups that run however it ends, a build of what
// it measures, wall time, and the one median.
import { fileURLToPath } from "node:url";
import type { ParseArgsOptionsConfig } from "node:util";
import { parseArgs } from "node:util";
import { execa } from "execa";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** `--write <file>` appends the section to a file, `--quick` makes a short smoke run; then the script's own. */
export function parseFlags<T extends ParseArgsOptionsConfig>(extra: T) {
  const options = { write: { type: "string" }, quick: { type: "boolean", default: false }, ...extra } as const;
  return parseArgs({ options, strict: true, allowPositionals: false }).values;
}

/** Progress goes to stderr; stdout carries only the Markdown section. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Aborted on Ctrl-C or SIGTERM: commands given its signal (execa's `cancelSignal`) stop before the cleanups. */
export const interrupted = new AbortController();
const cleanups: Array<() => unknown> = [];
/** Registers teardown work (`down -v`, an edited file restored): it runs once, newest first, however the script ends. */
export const onCleanup = (work: () => unknown) => void cleanups.push(work);

/** Runs a script's body, then the cleanups. A first Ctrl-C cleans up and exits 130; a second one kills at once. */
export async function runScript(body: () => Promise<void>): Promise<void> {
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => {
    cleaning ??= (async () => {
      for (let work = cleanups.pop(); work; work = cleanups.pop())
        await Promise.resolve()
          .then(work)
          .catch((err) => log(`cleanup failed: ${String(err)}`));
    })();
    return cleaning;
  };
  const onSignal = (signal: string) => {
    log(`${signal}: cleaning up (press Ctrl-C again to abandon the cleanup)`);
    interrupted.abort();
    void cleanUp().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    await body();
  } catch (err) {
    process.exitCode = 1;
    // A failed command as its command line and the tail of its output, not all of it.
    const { shortMessage, all, stderr } = err as { shortMessage?: string; all?: unknown; stderr?: unknown };
    const output = String(all ?? stderr ?? "");
    const tail = output.trim().split("\n").slice(-15);
    const detail = shortMessage ? [shortMessage, ...tail].join("\n") : err instanceof Error ? err.stack : err;
    log(`failed: ${detail}`);
  } finally {
    await cleanUp();
  }
}

/** turbo's build of one workspace (from its cache when nothing changed), so a script measures the code as it is. */
export async function buildWorkspace(name: string): Promise<void> {
  log(`building ${name} (turbo run build --filter=${name})`);
  await execa("turbo", ["run", "build", `--filter=${name}`], { cwd: repoRoot, preferLocal: true, all: true });
}

export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

/** The median of a list of numbers (NaN for an empty one). */
export function median(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}
