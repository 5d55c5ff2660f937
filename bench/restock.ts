/**
 * Benchmark of the restock job (packages/restock): prints numbers, it is not a test.
 *
 *   node bench/restock.ts [--runs 3] [--quick] [--write FILE]
 *   npm run bench:restock                             # the same, from the repo root
 *
 * It runs the built job, dist/main.js, with the node flags of the image's ENTRYPOINT, and builds it first (turbo's build for the restock package
 * alone: a no-op, from turbo's cache, when nothing changed), so the figures are always the code's.
 * It runs no container, and asks Docker nothing.
 *
 * 1. A JSON array of 1,000,000 seeded items (~50 MB): the seed's Python rule
 *    (../shared/reference/seed_restock.py, run where it lives, never copied; skipped with a note
 *    when absent) against the TypeScript job, `--runs` times each (median reported), outputs
 *    compared value by value. Targets: TypeScript at least 5x faster, at most 0.6x the peak memory.
 * 2. NDJSON and CSV inputs of 1,000,000 and 10,000,000 items, streamed through the job once each.
 *    Target: peak RSS at most 120 MB and flat as the input grows 10x. The streamed 1M outputs must
 *    be byte for byte the JSON run's.
 *
 * Wall time, peak RSS and CPU time come from GNU `/usr/bin/time -f '%e %M %U %S'` (RSS and CPU
 * are "n/a" without it). CPU time (user + system) is shown because wall time swings with whatever
 * else the machine runs; the targets are judged on wall time, as asked.
 * Inputs are generated streaming into a temp folder that is deleted at the end. The Markdown
 * result goes to stdout (progress to stderr); `--write FILE` also appends it to FILE.
 * `--quick` uses 100,000 and 1,000,000 items, to try the script out.
 */
import { access, appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { markdownTable } from "markdown-table";
import type { Comparison } from "./lib/compare-outputs.ts";
import { compareOutputs } from "./lib/compare-outputs.ts";
import { sha256File } from "./lib/file-hash.ts";
import type { InventoryFormat } from "./lib/generate-inventory.ts";
import { writeInventoryFile } from "./lib/generate-inventory.ts";
import { describeMachine } from "./lib/machine.ts";
import type { Command, Measurement } from "./lib/measure.ts";
import { hasGnuTime, measure, median } from "./lib/measure.ts";

const SEED = 20_260_525;
const THRESHOLD = "2";
const SPEEDUP_TARGET = 5;
/** TypeScript's peak RSS over Python's, at most. */
const MEMORY_RATIO_TARGET = 0.6;
const STREAMING_RSS_TARGET_MB = 120;
/** "Flat": the 10x input may use at most this much more peak RSS than the 1x one. */
const FLAT_TOLERANCE = 0.1;

const { values: options } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    quick: { type: "boolean", default: false },
    write: { type: "string" },
  },
});
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a whole number >= 1 (got ${JSON.stringify(options.runs)})`);
const SMALL = options.quick ? 100_000 : 1_000_000;
const LARGE = SMALL * 10;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const jobMain = join(repoRoot, "packages", "restock", "dist", "main.js");
/**
 * The node flags the image runs the job with, read from the Dockerfile's ENTRYPOINT
 * (["node", ...flags, script]), so the benchmark measures the job as it runs in production.
 */
const nodeFlags = await readFile(join(repoRoot, "packages", "restock", "Dockerfile"), "utf8").then((text) => {
  const line = /^ENTRYPOINT (\[.*\])$/m.exec(text)?.[1];
  const entrypoint: unknown = line === undefined ? undefined : JSON.parse(line);
  if (!Array.isArray(entrypoint) || entrypoint[0] !== "node")
    throw new Error(`packages/restock/Dockerfile: no ENTRYPOINT ["node", ...] line (found ${line})`);
  return entrypoint.slice(1, -1).map(String);
});
const seedDir = resolve(repoRoot, "..", "shared", "reference");
const seedScript = join(seedDir, "seed_restock.py");

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );
const progress = (text: string): void => {
  process.stderr.write(`bench: ${text}\n`);
};
const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
const rss = (m: Measurement): string => (m.peakRssMb === undefined ? "n/a" : m.peakRssMb.toFixed(1));
const cpu = (m: Measurement): string => (m.cpuSeconds === undefined ? "n/a" : m.cpuSeconds.toFixed(2));
const count = (n: number): string => n.toLocaleString("en-US");
const verdict = (met: boolean): string => (met ? "met" : "**missed**");

progress("building @stockroom/restock (turbo run build --filter=@stockroom/restock)");
const build = await execa("turbo", ["run", "build", "--filter=@stockroom/restock"], {
  cwd: repoRoot,
  preferLocal: true,
  reject: false,
  all: true,
});
if (build.exitCode !== 0 || !(await exists(jobMain))) {
  process.stderr.write(`${build.all}\nbench: building @stockroom/restock failed (exit ${build.exitCode})\n`);
  process.exit(1);
}

const scratch = await mkdtemp(join(tmpdir(), "restock-bench-"));
try {
  const machine = await describeMachine({ docker: false });
  const gnuTime = await hasGnuTime();
  const jobCommand = (input: string, output: string): Command => ({
    file: process.execPath,
    args: [...nodeFlags, jobMain, "--input", input, "--output", output, "--threshold", THRESHOLD],
    cwd: repoRoot,
  });
  const measureRuns = async (label: string, command: Command): Promise<Measurement> => {
    const results: Measurement[] = [];
    for (let run = 1; run <= runs; run += 1) {
      const result = await measure(command, scratch, gnuTime);
      progress(`${label} run ${run}/${runs}: ${result.seconds.toFixed(2)} s, ${cpu(result)} s CPU, ${rss(result)} MB`);
      results.push(result);
    }
    return median(results);
  };

  // 1. JSON array: the Python seed against the TypeScript job.
  const jsonInput = join(scratch, "input.json");
  progress(`generating ${count(SMALL)} items as a JSON array`);
  const jsonBytes = await writeInventoryFile(jsonInput, SMALL, "json", SEED);
  const tsOutput = join(scratch, "output-ts.json");
  const ts = await measureRuns("TypeScript job", jobCommand(jsonInput, tsOutput));
  const tsHash = await sha256File(tsOutput);

  const hasSeed = await exists(seedScript);
  let python: Measurement | undefined;
  let comparison: Comparison | undefined;
  if (hasSeed) {
    const pythonOutput = join(scratch, "output-python.json");
    python = await measureRuns("Python seed", {
      file: "python3",
      args: ["seed_restock.py", jsonInput, pythonOutput],
      cwd: seedDir,
      env: { RESTOCK_THRESHOLD: THRESHOLD },
    });
    progress("comparing the outputs");
    comparison = await compareOutputs(pythonOutput, tsOutput);
    await rm(pythonOutput);
  } else {
    progress(`${seedScript} not found: skipping the Python row`);
  }
  await rm(jsonInput);
  await rm(tsOutput);

  // 2. Streamed inputs: peak RSS as the input grows 10x.
  interface StreamRow {
    format: InventoryFormat;
    items: number;
    bytes: number;
    result: Measurement;
    sameAsJson: boolean | undefined;
  }
  const streamRows: StreamRow[] = [];
  for (const format of ["ndjson", "csv"] as const) {
    for (const items of [SMALL, LARGE]) {
      const input = join(scratch, `input.${format}`);
      const output = join(scratch, "output-stream.json");
      progress(`generating ${count(items)} items as ${format}`);
      const bytes = await writeInventoryFile(input, items, format, SEED);
      const result = await measure(jobCommand(input, output), scratch, gnuTime);
      progress(`${format} ${count(items)}: ${result.seconds.toFixed(2)} s, ${cpu(result)} s CPU, ${rss(result)} MB`);
      const sameAsJson = items === SMALL ? (await sha256File(output)) === tsHash : undefined;
      streamRows.push({ format, items, bytes, result, sameAsJson });
      await rm(input);
      await rm(output);
    }
  }

  // The report.
  const lines: string[] = [];
  lines.push(`### Restock job benchmark (${machine.date})`, "");
  lines.push(
    `Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb.toFixed(1)} GiB memory, Node ${machine.node}, ` +
      `Python ${machine.python}; load average at start ${machine.load}. Seed ${SEED}, threshold ${THRESHOLD}, ` +
      `median of ${runs} run${runs === 1 ? "" : "s"} for the JSON rows, one run each for the streamed rows.` +
      (gnuTime ? "" : " Peak RSS is unavailable: GNU /usr/bin/time is not installed."),
    "",
  );
  const pythonRow =
    python === undefined
      ? ["Python seed rule", "JSON array", count(SMALL), mb(jsonBytes), "skipped", "skipped", "skipped"]
      : [
          "Python seed rule",
          "JSON array",
          count(SMALL),
          mb(jsonBytes),
          python.seconds.toFixed(2),
          cpu(python),
          rss(python),
        ];
  lines.push(
    markdownTable(
      [
        ["program", "input", "items", "input MB", "wall s", "CPU s", "peak RSS MB"],
        pythonRow,
        ["TypeScript job", "JSON array", count(SMALL), mb(jsonBytes), ts.seconds.toFixed(2), cpu(ts), rss(ts)],
      ],
      { align: ["l", "l", "r", "r", "r", "r", "r"] },
    ),
    "",
  );
  if (python === undefined || comparison === undefined) {
    lines.push(`Python row skipped: ${seedScript} is absent, so there is no ratio or comparison.`, "");
  } else {
    const speedup = python.seconds / ts.seconds;
    lines.push(
      `- Outputs: ${comparison.identical ? `identical (${count(comparison.count)} records compared value by value)` : `**differ**: ${comparison.difference}`}.`,
    );
    const cpuRatio =
      python.cpuSeconds !== undefined && ts.cpuSeconds !== undefined
        ? `; CPU time ${(python.cpuSeconds / ts.cpuSeconds).toFixed(2)}x`
        : "";
    lines.push(
      `- Python / TypeScript wall time: ${speedup.toFixed(2)}x (target >= ${SPEEDUP_TARGET}x: ${verdict(speedup >= SPEEDUP_TARGET)})${cpuRatio}.`,
    );
    if (python.peakRssMb !== undefined && ts.peakRssMb !== undefined) {
      const ratio = ts.peakRssMb / python.peakRssMb;
      const met = verdict(ratio <= MEMORY_RATIO_TARGET);
      lines.push(`- TypeScript / Python peak RSS: ${ratio.toFixed(2)} (target <= ${MEMORY_RATIO_TARGET}: ${met}).`);
    }
    lines.push("");
  }
  lines.push(
    markdownTable(
      [
        ["streamed input", "items", "input MB", "wall s", "CPU s", "peak RSS MB", "output same as JSON run"],
        ...streamRows.map((row) => [
          row.format.toUpperCase(),
          count(row.items),
          mb(row.bytes),
          row.result.seconds.toFixed(2),
          cpu(row.result),
          rss(row.result),
          row.sameAsJson === undefined ? "" : row.sameAsJson ? "yes" : "**no**",
        ]),
      ],
      { align: ["l", "r", "r", "r", "r", "r", "l"] },
    ),
    "",
  );
  for (const format of ["ndjson", "csv"] as const) {
    const [small, large] = streamRows.filter((row) => row.format === format).map((row) => row.result.peakRssMb);
    if (small === undefined || large === undefined) continue;
    const under = Math.max(small, large) <= STREAMING_RSS_TARGET_MB;
    const growth = large / small - 1;
    const flat = verdict(growth <= FLAT_TOLERANCE);
    lines.push(
      `- ${format.toUpperCase()}: peak RSS ${small.toFixed(1)} MB -> ${large.toFixed(1)} MB for 10x the items (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)}%); ` +
        `at most ${STREAMING_RSS_TARGET_MB} MB: ${verdict(under)}; flat (within ${FLAT_TOLERANCE * 100}%): ${flat}.`,
    );
  }
  const report = `${lines.join("\n")}\n`;
  process.stdout.write(report);
  if (options.write !== undefined) {
    await appendFile(options.write, `${report}\n`);
    progress(`appended to ${options.write}`);
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
