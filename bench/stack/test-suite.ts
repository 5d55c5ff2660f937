/**
 * Test suite wall time (issue item 5).
 *
 *   node bench/stack/test-suite.ts [--write <file>]                                    # unit project only, no Docker
 *   flock /tmp/walkthrough.lock node bench/stack/test-suite.ts --with-tests [--write <file>]  # and the whole `npm test` (~13 min, Docker)
 *
 * Runs `npm run test:unit` and, with --with-tests, `npm test` (turbo:
 * typecheck, unit, integration), each from the repo root, and reports wall
 * time, exit code and vitest's summary lines. The full output of each goes
 * to a log file named in the section. Starts no stack of its own: the suite
 * creates and removes its own `stockroom-test-*` projects.
 *
 * With --with-tests it judges issue 14's target, `npm test` in at most 10
 * minutes, on the suite as that issue measured it: the whole run less the
 * tests the second wave added since, each of which brings its own budget
 * (SECOND_WAVE). Their share comes from vitest's own times in the same run.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { execa } from "execa";
import { describeMachine } from "../lib/machine.ts";
import { interrupted, log, parseFlags, runScript } from "./cli.ts";
import { repoRoot } from "./compose.ts";
import { Section } from "./report.ts";
import { seconds, timed } from "./timing.ts";

const flags = parseFlags({ "with-tests": { type: "boolean", default: false } });

/** Issue 14: `npm test` from a clean clone in at most 10 minutes, for the suite as it stood then. */
const SUITE_TARGET_S = 600;

/**
 * The tests the second wave's issues added after issue 14 measured the suite: lessons (run one
 * after the other, in the integration-alone project) and integration folders (run two at a time,
 * in the integration project). `budgetS`: the issue's own time budget, where it set one.
 */
const SECOND_WAVE = [
  { issue: "issue 11, the Swarm lab", lessons: ["16", "17"], folders: ["test/swarm-lab/"], budgetS: 300 },
  { issue: "issue 12, the front door", lessons: ["15"], folders: ["test/proxy/"] },
  { issue: "issue 13, learners' machines", lessons: [], folders: ["test/line-endings/"] },
] as const satisfies ReadonlyArray<{ issue: string; lessons: string[]; folders: string[]; budgetS?: number }>;

/** How many integration files vitest runs at once (vitest.config.ts, the integration project). */
const INTEGRATION_AT_ONCE = 2;

/**
 * As .ci/run does: testcontainers' Ryuk reaper image cannot be pulled on this
 * machine (no registry access), and without this every integration suite
 * fails at once. The suite's own global teardown checks for leftovers.
 */
const RYUK_DISABLED = process.env.TESTCONTAINERS_RYUK_DISABLED ?? "true";

interface SuiteRun {
  command: string;
  seconds: number;
  exitCode: number;
  summary: string;
  logFile: string;
  /** vitest's "Duration 41.09s (tests 66%, import 28%, ...)" line(s). */
  durations: string[];
  /** The slowest test files, per vitest's own per-file times. */
  slowest: Array<{ file: string; ms: number }>;
  /** Every integration file's time, per vitest (`project file` -> ms). */
  files: Array<{ project: string; file: string; ms: number }>;
  /** Each lesson's time by its number ("01"...), from the walkthroughs file's per-test lines. */
  lessons: Map<string, number>;
}

async function runSuite(args: string[], logDir: string): Promise<SuiteRun> {
  const command = `npm ${args.join(" ")}`;
  const logFile = join(logDir, `${args.join("-").replace(/[^a-z0-9-]/gi, "_")}.log`);
  log(`${command} (output in ${logFile})`);
  const out = createWriteStream(logFile);
  // Its own process group, so Ctrl-C can stop npm, turbo and vitest together (killing npm alone orphans vitest).
  const child = execa("npm", args, {
    cwd: repoRoot,
    all: true,
    reject: false,
    detached: true,
    env: { FORCE_COLOR: "0", TESTCONTAINERS_RYUK_DISABLED: RYUK_DISABLED },
  });
  let finished = false;
  const stopGroup = () => {
    if (child.pid === undefined || finished) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // The group is already gone.
    }
  };
  interrupted.signal.addEventListener("abort", stopGroup, { once: true });
  child.all?.pipe(out);
  const { seconds: took, value } = await timed(async () => child);
  finished = true;
  interrupted.signal.removeEventListener("abort", stopGroup);
  out.end();
  const text = stripVTControlCharacters(String(value.all ?? "")); // FORCE_COLOR=0 should leave no colour codes; some tools colour anyway;
  // vitest's summary: "Test Files  12 passed (12)", "Tests  80 passed (80)" (one pair per vitest run).
  const summary = text
    .split("\n")
    .map((line) => line.replace(/^.*?(Test Files|Tests)\s/, "$1 ").trim())
    .filter((line) => /^(Test Files|Tests) +\d/.test(line))
    .join("; ");
  const durations = text
    .split("\n")
    .map((line) => /Duration\s+(.*)$/.exec(line)?.[1]?.trim())
    .filter((d): d is string => Boolean(d));
  const lines = text.split("\n");
  const files = lines
    .map((line) => /^(?:.*:\s)?\s*[✓×✗]\s+(unit|integration(?:-alone)?)\s+(\S+)\s.*\s(\d+)ms$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ project: m[1]!, file: m[2]!, ms: Number(m[3]) }));
  const slowest = [...files].sort((a, b) => b.ms - a.ms).slice(0, 6);
  const lessons = new Map(
    lines
      .map((line) => /[✓×✗] docs\/workshop\/(\d\d)-\S+\.md in (?:zsh|bash)\b.* (\d+)ms$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, Number(m[2])] as const),
  );
  log(`${command}: exit ${value.exitCode} in ${took.toFixed(1)} s`);
  return {
    command,
    seconds: took,
    exitCode: value.exitCode ?? -1,
    summary: summary || "(no vitest summary found)",
    logFile,
    durations,
    slowest,
    files: files.filter((f) => f.project !== "unit"),
    lessons,
  };
}

interface WaveShare {
  issue: string;
  /** Wall seconds its lessons took (they run alone, one after the other). */
  lessonsS: number;
  /** Seconds its integration files took, and about their share of wall time (two files run at once). */
  filesS: number;
  wallS: number;
  budgetS?: number;
}

/** Each second-wave issue's share of the `npm test` run's wall time, from vitest's own times. */
function secondWaveShares(run: SuiteRun): WaveShare[] {
  return SECOND_WAVE.map((wave) => {
    const lessonsS = wave.lessons.reduce((sum, n) => sum + (run.lessons.get(n) ?? Number.NaN), 0) / 1000;
    const filesS =
      run.files
        .filter((f) => wave.folders.some((folder) => f.file.startsWith(folder)))
        .reduce((sum, f) => sum + f.ms, 0) / 1000;
    return {
      issue: wave.issue,
      lessonsS,
      filesS,
      wallS: lessonsS + filesS / INTEGRATION_AT_ONCE,
      ...("budgetS" in wave ? { budgetS: wave.budgetS } : {}),
    };
  });
}

await runScript(async () => {
  const machine = await describeMachine();
  const logDir = await mkdtemp(join(tmpdir(), "stockroom-bench-tests-"));
  const runs: SuiteRun[] = [await runSuite(["run", "test:unit"], logDir)];
  if (flags["with-tests"]) runs.push(await runSuite(["test"], logDir));

  const section = new Section("Test suite", machine, flags);
  section.paragraph(
    "Wall time from the repo root with dependencies installed (`npm ci` not counted) and turbo's local cache as it was, " +
      `with TESTCONTAINERS_RYUK_DISABLED=${RYUK_DISABLED} (as .ci/run sets it: the Ryuk image cannot be pulled here). ` +
      (flags["with-tests"]
        ? "`npm test` includes the typecheck, the unit project and the integration project (real containers, images, Compose stacks)."
        : "`npm test` was not run: pass `--with-tests` (about 13 minutes, needs Docker; hold the Docker lock)."),
  );
  section.table(
    ["command", "wall time", "exit code", "vitest summary", "log"],
    runs.map((r) => [`\`${r.command}\``, seconds(r.seconds), r.exitCode, r.summary, r.logFile]),
  );
  section.table(
    ["command", "vitest duration", "slowest test files (vitest's per-file time)"],
    runs.map((r) => [
      `\`${r.command}\``,
      r.durations.join("<br>") || "-",
      r.slowest.map((f) => `${f.file} ${seconds(f.ms / 1000)}`).join("<br>"),
    ]),
  );
  const full = runs.find((r) => r.command === "npm test");
  if (full !== undefined) {
    const shares = secondWaveShares(full);
    const secondWaveS = shares.reduce((sum, s) => sum + s.wallS, 0);
    section.paragraph(
      "What the second wave's tests took of that run, from vitest's own times: lessons run one after the other, so " +
        `their time is wall time; integration files run ${INTEGRATION_AT_ONCE} at a time, so about 1/${INTEGRATION_AT_ONCE} of theirs is. ` +
        `Issue 14's 10-minute target is for the suite as it stood before them: the run less about ${seconds(secondWaveS)}.`,
    );
    section.table(
      ["tests added by", "lessons", "integration files", "share of the wall time", "budget"],
      shares.map((s) => [
        s.issue,
        seconds(s.lessonsS),
        seconds(s.filesS),
        seconds(s.wallS),
        s.budgetS === undefined ? "none set" : seconds(s.budgetS),
      ]),
    );
    const minutes = (v: number) => `${Math.floor(v / 60)} min ${(v % 60).toFixed(0)} s`;
    section.targets([
      {
        name: "`npm test`, the suite as issue 14 measured it (the run less the second wave's share)",
        measured: full.seconds - secondWaveS,
        limit: SUITE_TARGET_S,
        kind: "max",
        format: minutes,
      },
      ...shares.flatMap(({ issue, wallS, budgetS }) =>
        budgetS === undefined
          ? []
          : [
              {
                name: `the tests of ${issue}, their share of the wall time`,
                measured: wallS,
                limit: budgetS,
                kind: "max" as const,
                format: minutes,
              },
            ],
      ),
    ]);
  }
  const failed = runs.filter((r) => r.exitCode !== 0);
  if (failed.length > 0)
    section.paragraph(
      `**Failed:** ${failed.map((r) => `\`${r.command}\` exited ${r.exitCode}, see ${r.logFile}`).join("; ")}.`,
    );
  await section.emit(flags.write);
});
