// Test suite wall time (issue item 5): `npm run test:unit` and, with --with-tests, `npm test` (about 13 min, Docker);
// then issue 14's 10-minute target on the suite as that issue measured it: the run less the share of the tests the
// second wave added since (SECOND_WAVE, each with its own budget), from vitest's own times in the same run.
//   node bench/stack/test-suite.ts [--with-tests] [--write <file>]
import { createWriteStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { execa } from "execa";
import { log, onCleanup, parseFlags, repoRoot, runScript, timed } from "../lib/script.ts";
import { describeMachine, Section, seconds, target } from "../lib/section.ts";

const flags = parseFlags({ "with-tests": { type: "boolean", default: false } });
/** Lessons run one after the other; integration files two at a time (vitest.config.ts). `budgetS`: the issue's own. */
const SECOND_WAVE = [
  { issue: "issue 11, the Swarm lab", lessons: ["16", "17"], folders: ["test/swarm-lab/"], budgetS: 300 },
  { issue: "issue 12, the front door", lessons: ["15"], folders: ["test/proxy/"] },
  { issue: "issue 13, learners' machines", lessons: [], folders: ["test/line-endings/"] },
];
const INTEGRATION_AT_ONCE = 2;
/** vitest's line for a test file, and for a lesson (a test of the walkthroughs file), each with its time. */
const FILE_LINE = /^(?:.*:\s)?\s*[✓×✗]\s+(unit|integration(?:-alone)?)\s+(\S+)\s.*\s(\d+)ms$/;
const LESSON_LINE = /[✓×✗] docs\/workshop\/(\d\d)-\S+\.md in (?:zsh|bash)\b.* (\d+)ms$/;
/** As .ci/run sets it: the Ryuk reaper image cannot be pulled here; the suite's global teardown checks for leftovers. */
const RYUK_DISABLED = process.env.TESTCONTAINERS_RYUK_DISABLED ?? "true";

async function runSuite(args: string[], logDir: string) {
  const command = `npm ${args.join(" ")}`;
  const logFile = join(logDir, `${args.join("-").replace(/[^a-z0-9-]/gi, "_")}.log`);
  log(`${command} (output in ${logFile})`);
  const env = { FORCE_COLOR: "0", TESTCONTAINERS_RYUK_DISABLED: RYUK_DISABLED };
  const child = execa("npm", args, { cwd: repoRoot, all: true, reject: false, detached: true, env });
  // Its own process group, so Ctrl-C stops npm, turbo and vitest together (killing npm alone orphans vitest).
  let running = true;
  onCleanup(() => running && process.kill(-child.pid!, "SIGTERM"));
  child.all?.pipe(createWriteStream(logFile));
  const { seconds: took, value } = await timed(async () => child);
  running = false;
  log(`${command}: exit ${value.exitCode} in ${took.toFixed(1)} s`);
  // FORCE_COLOR=0 should leave no colour codes; some tools colour anyway.
  const lines = stripVTControlCharacters(String(value.all ?? "")).split("\n");
  const matches = (pattern: RegExp) => lines.map((line) => pattern.exec(line)).filter((m) => m !== null);
  // vitest's "Test Files  12 passed (12)", "Tests  80 passed (80)" (a pair per vitest run), and "Duration 41.09s (...)".
  const summary = matches(/^.*?(Test Files|Tests)\s( *\d.*)$/).map(([, what, figures]) => `${what} ${figures}`.trim());
  const files = matches(FILE_LINE).map(([, project = "", file = "", ms]) => ({ project, file, ms: Number(ms) }));
  return {
    command,
    seconds: took,
    exitCode: value.exitCode ?? -1,
    summary: summary.join("; ") || "(no vitest summary found)",
    logFile,
    durations: matches(/Duration\s+(.*)$/).map((m) => m[1]!.trim()),
    slowest: files.toSorted((a, b) => b.ms - a.ms).slice(0, 6),
    integration: files.filter((f) => f.project !== "unit"),
    /** Each lesson's time by its number ("01"...), from the walkthroughs file's per-test lines. */
    lessons: new Map(matches(LESSON_LINE).map(([, lesson = "", ms]) => [lesson, Number(ms)])),
  };
}

await runScript(async () => {
  const machine = await describeMachine();
  const logDir = await mkdtemp(join(tmpdir(), "stockroom-bench-tests-"));
  const runs = [await runSuite(["run", "test:unit"], logDir)];
  if (flags["with-tests"]) runs.push(await runSuite(["test"], logDir));

  const section = Section.onStack("Test suite", machine, flags.quick);
  section.paragraph(
    `Wall time from the repo root with dependencies installed (\`npm ci\` not counted) and turbo's local cache as it was, with TESTCONTAINERS_RYUK_DISABLED=${RYUK_DISABLED} (as .ci/run sets it: the Ryuk image cannot be pulled here). ` +
      (flags["with-tests"]
        ? "`npm test` includes the typecheck, the unit project and the integration project (real containers, images, Compose stacks)."
        : "`npm test` was not run: pass `--with-tests` (about 13 minutes, needs Docker; hold the Docker lock)."),
  );
  const code = (r: (typeof runs)[number]) => `\`${r.command}\``;
  const slowest = (r: (typeof runs)[number]) => r.slowest.map((f) => `${f.file} ${seconds(f.ms / 1000)}`).join("<br>");
  const summaries = runs.map((r) => [code(r), seconds(r.seconds), r.exitCode, r.summary, r.logFile]);
  section.table("command | wall time | exit code | vitest summary | log", summaries);
  const durations = runs.map((r) => [code(r), r.durations.join("<br>") || "-", slowest(r)]);
  section.table("command | vitest duration | slowest test files (vitest's per-file time)", durations);
  const full = runs.find((r) => r.command === "npm test");
  if (full !== undefined) {
    const shares = SECOND_WAVE.map(({ issue, lessons, folders, budgetS }) => {
      const lessonsS = lessons.reduce((sum, n) => sum + (full.lessons.get(n) ?? Number.NaN), 0) / 1000;
      const ours = full.integration.filter((f) => folders.some((folder) => f.file.startsWith(folder)));
      const filesS = ours.reduce((sum, f) => sum + f.ms, 0) / 1000;
      return { issue, lessonsS, filesS, wallS: lessonsS + filesS / INTEGRATION_AT_ONCE, budgetS };
    });
    const secondWaveS = shares.reduce((sum, s) => sum + s.wallS, 0);
    section.paragraph(
      `What the second wave's tests took of that run, from vitest's own times: lessons run one after the other, so their time is wall time; integration files run ${INTEGRATION_AT_ONCE} at a time, so about 1/${INTEGRATION_AT_ONCE} of theirs is. Issue 14's 10-minute target is for the suite as it stood before them: the run less about ${seconds(secondWaveS)}.`,
    );
    section.table(
      "tests added by | lessons | integration files | share of the wall time | budget",
      shares.map((s) => [
        s.issue,
        ...[s.lessonsS, s.filesS, s.wallS].map(seconds),
        s.budgetS ? seconds(s.budgetS) : "none set",
      ]),
    );
    const minutes = (v: number) => `${Math.floor(v / 60)} min ${(v % 60).toFixed(0)} s`;
    const asMeasured = "`npm test`, the suite as issue 14 measured it (the run less the second wave's share)";
    const share = "their share of the wall time";
    section.targets([
      target(asMeasured, full.seconds - secondWaveS, "≤", 600, minutes),
      ...shares
        .filter((s) => s.budgetS)
        .map((s) => target(`the tests of ${s.issue}, ${share}`, s.wallS, "≤", s.budgetS!, minutes)),
    ]);
  }
  const failed = runs.filter((r) => r.exitCode !== 0).map((r) => `${code(r)} exited ${r.exitCode}, see ${r.logFile}`);
  if (failed.length > 0) section.paragraph(`**Failed:** ${failed.join("; ")}.`);
  await section.emit(flags.write);
});
