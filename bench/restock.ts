// The restock job (packages/restock) against the seed's Python rule, and its memory on streamed inputs:
// stack/README.md says what it measures. The built job (dist/main.js, built first) runs with the node flags of
// the image's ENTRYPOINT; wall time, peak RSS and CPU time come from GNU `/usr/bin/time` ("n/a" without it).
//   node bench/restock.ts [--runs 3] [--quick] [--write FILE]
import { createWriteStream, existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { isDeepStrictEqual } from "node:util";
import { execa } from "execa";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { buildWorkspace, log, median, onCleanup, parseFlags, repoRoot, runScript, timed } from "./lib/script.ts";
import { describeMachine, Section } from "./lib/section.ts";

const flags = parseFlags({ runs: { type: "string", default: "3" } });
const [RUNS, SEED, THRESHOLD] = [Number(flags.runs), 20_260_525, "2"];
const SMALL = flags.quick ? 100_000 : 1_000_000;
const seedDir = join(repoRoot, "../shared/reference");
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const scratch = await mkdtemp(join(tmpdir(), "restock-bench-"));
onCleanup(() => rm(scratch, { recursive: true, force: true }));

type Measurement = Record<"seconds" | "peakRssMb" | "cpuSeconds", number>;
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const rss = (m: Measurement) => (Number.isNaN(m.peakRssMb) ? "n/a" : m.peakRssMb.toFixed(1));
const cpu = (m: Measurement) => (Number.isNaN(m.cpuSeconds) ? "n/a" : m.cpuSeconds.toFixed(2));
const count = (n: number) => n.toLocaleString("en-US");
const verdict = (met: boolean) => (met ? "met" : "**missed**");
const described = (m: Measurement) => `${m.seconds.toFixed(2)} s, ${cpu(m)} s CPU, ${rss(m)} MB`;

/** The node flags the image runs the job with, from the Dockerfile's ENTRYPOINT ["node", ...flags, script]. */
async function imageNodeFlags(): Promise<string[]> {
  const dockerfile = await readFile(join(repoRoot, "packages/restock/Dockerfile"), "utf8");
  const line = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
  const entrypoint: unknown = JSON.parse(line ?? "null");
  if (!Array.isArray(entrypoint) || entrypoint[0] !== "node")
    throw new Error(`packages/restock/Dockerfile: no ENTRYPOINT ["node", ...] line (found ${line})`);
  return entrypoint.slice(1, -1).map(String);
}

/** Runs a command once under GNU `time -f '%e %M %U %S'`, its report in a file so the command's stderr stays its own. */
async function measure(file: string, args: string[], options: { cwd: string; env?: Record<string, string> }) {
  if (!GNU_TIME) {
    const { seconds } = await timed(() => execa(file, args, options));
    return { seconds, peakRssMb: Number.NaN, cpuSeconds: Number.NaN };
  }
  const report = join(scratch, "time.txt");
  await execa(GNU_TIME, ["-f", "%e %M %U %S", "-o", report, file, ...args], options);
  // The format is GNU time's last line; earlier lines may note a signal or exit status.
  const last = (await readFile(report, "utf8")).trim().split("\n").at(-1) ?? "";
  const [seconds = Number.NaN, kb = Number.NaN, user = Number.NaN, sys = Number.NaN] = last.split(/\s+/).map(Number);
  if (Number.isNaN(seconds + kb + user + sys)) throw new Error(`cannot read GNU time's report: ${last}`);
  return { seconds, peakRssMb: (kb * 1024) / 1e6, cpuSeconds: user + sys };
}

/** Compares two JSON outputs record by record, value by value (22 and 22.0 are the same). */
async function compareOutputs(pythonPath: string, tsPath: string): Promise<string> {
  const [python, ts] = await Promise.all([pythonPath, tsPath].map(async (p) => JSON.parse(await readFile(p, "utf8"))));
  if (!Array.isArray(python) || !Array.isArray(ts)) return "**differ**: an output is not a JSON array";
  const i = python.findIndex((record, index) => !isDeepStrictEqual(record, ts[index]));
  if (i >= 0 && i < ts.length)
    return `**differ**: record #${i + 1}: Python ${JSON.stringify(python[i])}, TypeScript ${JSON.stringify(ts[i])}`;
  if (python.length !== ts.length) return `**differ**: Python wrote ${python.length} records, TypeScript ${ts.length}`;
  return `identical (${count(ts.length)} records compared value by value)`;
}

// The same `count` items for a seed, as a JSON array, NDJSON or CSV text, in chunks of 10,000 lines (fast, and flat).
// Names need no CSV quoting but some are non-ASCII; one sale in five has a tenth (12.5), so the comparison with
// Python covers fractions too.
function* inventoryText(count: number, seed: number, format: string): Generator<string> {
  const rng = xoroshiro128plus(seed);
  const separator = format === "json" ? ",\n" : "\n";
  yield format === "json" ? "[\n" : format === "csv" ? "item,stock,sales\n" : "";
  let lines: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const item = index % 7 === 0 ? `Gerät ${index}` : `Item ${index}`;
    const stock = uniformInt(rng, 0, 500);
    const wholeSales = uniformInt(rng, 0, 300);
    const sales = uniformInt(rng, 0, 4) === 0 ? wholeSales + uniformInt(rng, 1, 9) / 10 : wholeSales;
    lines.push(format === "csv" ? `${item},${stock},${sales}` : JSON.stringify({ item, stock, sales }));
    if (lines.length === 10_000 || index === count - 1) {
      yield `${index < 10_000 ? "" : separator}${lines.join(separator)}`;
      lines = [];
    }
  }
  yield format === "json" ? "\n]\n" : "\n";
}

async function writeInventory(path: string, count: number, format: "json" | "ndjson" | "csv"): Promise<number> {
  await pipeline(Readable.from(inventoryText(count, SEED, format)), createWriteStream(path));
  return (await stat(path)).size;
}

/** `RUNS` runs of one command, the median of each figure. */
async function measureRuns(label: string, run: () => Promise<Measurement>): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let i = 1; i <= RUNS; i += 1) {
    runs.push(await run());
    log(`${label} run ${i}/${RUNS}: ${described(runs.at(-1)!)}`);
  }
  const of = (key: keyof Measurement) => median(runs.map((m) => m[key]));
  return { seconds: of("seconds"), peakRssMb: of("peakRssMb"), cpuSeconds: of("cpuSeconds") };
}

await runScript(async () => {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a whole number >= 1 (got ${flags.runs})`);
  await buildWorkspace("@stockroom/restock");
  const machine = await describeMachine({ docker: false });
  const job = [...(await imageNodeFlags()), join(repoRoot, "packages/restock/dist/main.js"), "--threshold", THRESHOLD];
  const runJob = (input: string, output: string) =>
    measure(process.execPath, [...job, "--input", input, "--output", output], { cwd: repoRoot });
  const file = (name: string) => join(scratch, name);

  // 1. A JSON array: the Python seed against the TypeScript job.
  log(`generating ${count(SMALL)} items as a JSON array`);
  const jsonBytes = await writeInventory(file("input.json"), SMALL, "json");
  const ts = await measureRuns("TypeScript job", () => runJob(file("input.json"), file("output-ts.json")));
  const seedScript = join(seedDir, "seed_restock.py");
  const pythonArgs = ["seed_restock.py", file("input.json"), file("output-python.json")];
  const pythonRun = () => measure("python3", pythonArgs, { cwd: seedDir, env: { RESTOCK_THRESHOLD: THRESHOLD } });
  if (!existsSync(seedScript)) log(`${seedScript} not found: skipping the Python row`);
  const python = existsSync(seedScript) ? await measureRuns("Python seed", pythonRun) : undefined;
  const outputs = python && (await compareOutputs(file("output-python.json"), file("output-ts.json")));

  // 2. Streamed inputs: peak RSS as the input grows 10x.
  const streamed: string[][] = [];
  const flatness: string[] = [];
  for (const format of ["ndjson", "csv"] as const) {
    const peaks: number[] = [];
    for (const items of [SMALL, SMALL * 10]) {
      log(`generating ${count(items)} items as ${format}`);
      const bytes = await writeInventory(file(`input.${format}`), items, format);
      const m = await runJob(file(`input.${format}`), file("output-stream.json"));
      log(`${format} ${count(items)}: ${described(m)}`);
      const sameBytes = async () =>
        (await readFile(file("output-stream.json"))).equals(await readFile(file("output-ts.json")));
      const same = items > SMALL ? "" : (await sameBytes()) ? "yes" : "**no**";
      streamed.push([format.toUpperCase(), count(items), mb(bytes), m.seconds.toFixed(2), cpu(m), rss(m), same]);
      peaks.push(m.peakRssMb);
      await rm(file(`input.${format}`));
    }
    const [small = Number.NaN, large = Number.NaN] = peaks;
    const growth = large / small - 1;
    const change = `${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)}%`;
    const verdicts = `at most 120 MB: ${verdict(Math.max(small, large) <= 120)}; flat (within 10%): ${verdict(growth <= 0.1)}`;
    const line = `- ${format.toUpperCase()}: peak RSS ${small.toFixed(1)} MB -> ${large.toFixed(1)} MB for 10x the items (${change}); ${verdicts}.`;
    if (!Number.isNaN(growth)) flatness.push(line);
  }

  const section = new Section(
    `### Restock job benchmark (${machine.date})`,
    `Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb.toFixed(1)} GiB memory, Node ${machine.node}, Python ${machine.python}; load average at start ${machine.load}. Seed ${SEED}, threshold ${THRESHOLD}, median of ${RUNS} run${RUNS === 1 ? "" : "s"} for the JSON rows, one run each for the streamed rows.` +
      (GNU_TIME ? "" : " Peak RSS is unavailable: GNU /usr/bin/time is not installed."),
  );
  const jsonRow = (program: string, m?: Measurement) => [
    ...[program, "JSON array", count(SMALL), mb(jsonBytes)],
    ...(m ? [m.seconds.toFixed(2), cpu(m), rss(m)] : ["skipped", "skipped", "skipped"]),
  ];
  const rows = [jsonRow("Python seed rule", python), jsonRow("TypeScript job", ts)];
  section.table("program | input | items | input MB | wall s | CPU s | peak RSS MB", rows, "llrrrrr");
  if (python === undefined) {
    section.paragraph(`Python row skipped: ${seedScript} is absent, so there is no ratio or comparison.`);
  } else {
    const speedup = python.seconds / ts.seconds;
    const cpuRatio = python.cpuSeconds / ts.cpuSeconds;
    const memory = ts.peakRssMb / python.peakRssMb;
    const lines = [
      `- Outputs: ${outputs}.`,
      `- Python / TypeScript wall time: ${speedup.toFixed(2)}x (target >= 5x: ${verdict(speedup >= 5)})${Number.isNaN(cpuRatio) ? "" : `; CPU time ${cpuRatio.toFixed(2)}x`}.`,
      `- TypeScript / Python peak RSS: ${memory.toFixed(2)} (target <= 0.6: ${verdict(memory <= 0.6)}).`,
    ];
    section.paragraph(lines.slice(0, Number.isNaN(memory) ? 2 : 3).join("\n"));
  }
  const header = "streamed input | items | input MB | wall s | CPU s | peak RSS MB | output same as JSON run";
  section.table(header, streamed, "lrrrrrl");
  if (flatness.length > 0) section.paragraph(flatness.join("\n"));
  await section.emit(flags.write);
});
