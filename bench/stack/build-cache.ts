// Build cache and image size (issue item 4): a cold build of the three images, a rebuild after a one-line api
// change (a marked comment, removed however the script ends), and a last build from the restored source.
//   node bench/stack/build-cache.ts [--write <file>]
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { log, onCleanup, parseFlags, repoRoot, runScript, timed } from "../lib/script.ts";
import { clip, describeMachine, megabytes, percent, Section, seconds, target } from "../lib/section.ts";
import type { ComposeProject } from "./compose.ts";
import { composeProject } from "./compose.ts";

const flags = parseFlags({});
const NAMES = ["webapp", "api", "restock"];
const IMAGES = NAMES.map((name) => `stockroom-${name}:latest`);
const BASE_IMAGE = "node:26-trixie-slim";
const CHANGED_FILE = join(repoRoot, "apps/api/src/main.ts");
const logDir = await mkdtemp(join(tmpdir(), "stockroom-bench-build-"));

interface Step {
  stages: string[];
  instruction: string;
  cached: boolean;
  seconds?: number;
}

/** Dockerfile steps from BuildKit's plain progress: `#N [stage] INSTRUCTION`, then `#N CACHED` or `#N DONE 1.2s`. */
function parseSteps(progress: string): Step[] {
  const steps = new Map<string, Step>();
  for (const line of progress.split("\n")) {
    const [, id = "", stage = "", instruction = ""] = /^#(\d+) \[([^\]]+)\] (.*)$/.exec(line) ?? [];
    if (stage) {
      // BuildKit runs a step the images share once, under one number, and prints it with each image's label.
      const step = steps.get(id) ?? { stages: [], instruction, cached: false };
      if (!step.stages.includes(stage)) step.stages.push(stage);
      steps.set(id, step);
    }
    const [, done = "", status, time] = /^#(\d+) (CACHED|DONE ([\d.]+)s)$/.exec(line) ?? [];
    const step = steps.get(done);
    if (step && status === "CACHED") step.cached = true;
    else if (step && status) step.seconds = Number(time);
  }
  // Only Dockerfile instructions ("api build 3/6"), not "internal" loads, exports or the FROM line.
  const instruction = (s: Step) => s.stages.some((x) => /\d+\/\d+$/.test(x)) && !s.instruction.startsWith("FROM ");
  return [...steps.values()].filter(instruction);
}

const belongsTo = (step: Step, name: string) => step.stages.some((stage) => stage.startsWith(`${name} `));
/** One line, `|` escaped for a Markdown table. */
const oneLine = (text: string) => text.replace(/\s+/g, " ").replace(/\|/g, "\\|");

/** One `docker compose build` (`--profile jobs`: the restock image too); its plain progress kept under `logDir`. */
async function build(stack: ComposeProject, args: string[], logName: string) {
  log(`docker compose --progress=plain build ${args.join(" ")}`);
  const build = ["--profile", "jobs", "--progress=plain", "build", ...args];
  const { seconds, value } = await timed(() => stack.run(build, { all: true }));
  await writeFile(join(logDir, `${logName}.log`), String(value.all));
  return { seconds, steps: parseSteps(String(value.all)) };
}

const docker = async (...args: string[]) => (await execa("docker", args)).stdout.trim();
const imageIds = () => Promise.all(IMAGES.map((image) => docker("image", "inspect", "--format", "{{.Id}}", image)));

/** The non-empty layers an image adds on top of its base (docker history lists newest first). */
async function addedLayers(image: string): Promise<string[]> {
  const history = async (ref: string) =>
    (await docker("history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", ref)).split("\n");
  const [own, base] = await Promise.all([history(image), history(BASE_IMAGE)]);
  return own.slice(0, own.length - base.length).flatMap((line) => {
    const [size = "", createdBy = ""] = line.split("\t");
    return size.startsWith("0B")
      ? []
      : [`${size} ${clip(oneLine(createdBy.replace(/^\/bin\/sh -c (#\(nop\) )?/, "")), 70)}`];
  });
}

/** Files git tracks or would add that someone else changed since `since` (BuildKit's context is the whole repo). */
async function changedSince(since: number): Promise<string[]> {
  const { stdout } = await execa("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot });
  const changed = (file: string) => (statSync(join(repoRoot, file), { throwIfNoEntry: false })?.mtimeMs ?? 0) > since;
  const files = stdout.split("\n").filter((file) => file && join(repoRoot, file) !== CHANGED_FILE && changed(file));
  return files.sort();
}

await runScript(async () => {
  const machine = await describeMachine();
  const stack = composeProject("build-cache");
  const coldStarted = Date.now();
  const cold = await build(stack, ["--no-cache"], "build-1");
  const coldIds = await imageIds();

  const original = await readFile(CHANGED_FILE, "utf8");
  const marker = `bench-build-cache-${randomBytes(6).toString("hex")}`;
  const restore = async () => {
    if ((await readFile(CHANGED_FILE, "utf8")) === original) return;
    await writeFile(CHANGED_FILE, original);
    log(`restored ${CHANGED_FILE}`);
  };
  onCleanup(restore);
  await writeFile(CHANGED_FILE, `${original}// ${marker}\n`);
  log(`appended "// ${marker}" to apps/api/src/main.ts`);
  const rebuild = await build(stack, [], "build-2").finally(restore);
  const rebuildIds = await imageIds();
  // BuildKit reads the context at the start of each build: others' edits since the cold build confound the rebuild.
  const othersChanged = await changedSince(coldStarted);
  // Leave the api image built from the unchanged source (all of it cached from the cold build).
  const back = await build(stack, [], "build-3");
  const finalIds = await imageIds();
  const size = async (image: string) => Number(await docker("image", "inspect", "--format", "{{.Size}}", image));
  const [baseSize, ...sizes] = await Promise.all([BASE_IMAGE, ...IMAGES].map(size));
  const added = sizes.map((s) => s! - baseSize!);

  const section = Section.onStack("Build cache and image size", machine, flags.quick);
  section.paragraph(
    `\`docker compose --progress=plain --profile jobs build --no-cache\` (webapp, api, restock; Compose builds them in parallel), then \`// ${marker}\` appended to apps/api/src/main.ts and a plain \`build\`; the file was restored in a finally block and a third build put the unchanged api image back (${seconds(back.seconds)}, ${back.steps.filter((s) => !s.cached).length} steps not cached). \`--no-cache\` does not empty BuildKit's \`--mount=type=cache\` npm cache, so the cold build's \`npm ci\` still reads cached tarballs; the base images were present. Raw progress: ${logDir}.`,
  );
  const cachedOf = (steps: Step[], name: string) => {
    const own = steps.filter((s) => belongsTo(s, name));
    return `${own.filter((s) => s.cached).length} of ${own.length} cached`;
  };
  section.table("build | wall time | webapp steps | api steps | restock steps", [
    ["cold, --no-cache", seconds(cold.seconds), ...NAMES.map((name) => cachedOf(cold.steps, name))],
    ["after a one-line api change", seconds(rebuild.seconds), ...NAMES.map((name) => cachedOf(rebuild.steps, name))],
  ]);
  const shown = rebuild.steps.filter((s) => belongsTo(s, "api") || !s.cached);
  shown.sort((a, b) => a.stages[0]!.localeCompare(b.stages[0]!, "en", { numeric: true }));
  const what = (s: Step) => `${s.stages.join(", ")}: ${clip(oneLine(s.instruction.replace(/--mount=\S+ /g, "")), 60)}`;
  const time = (s: Step) => (s.seconds === undefined ? "-" : seconds(s.seconds));
  section.table(
    "rebuild step (not cached ones take time) | cached | time",
    shown.map((s) => [what(s), s.cached ? "yes" : "**no**", time(s)]),
  );
  const same = (i: number) => coldIds[i] === rebuildIds[i];
  const apiVerdict = same(1) ? "**same: the change did not reach the image**" : "changed (expected)";
  const verdict = (i: number) => (i === 1 ? apiVerdict : same(i) ? "same (not rebuilt)" : "**changed**");
  section.table(
    "image | id after cold build | id after api change | verdict | id after restoring",
    IMAGES.map((image, i) => [
      ...[image, coldIds[i]!.slice(7, 19), rebuildIds[i]!.slice(7, 19), verdict(i)],
      finalIds[i] === coldIds[i] ? "same as cold" : finalIds[i]!.slice(7, 19),
    ]),
  );
  const layers = await Promise.all(IMAGES.map(addedLayers));
  section.table(
    `image | size | added on top of ${BASE_IMAGE} (${megabytes(baseSize!)}) | non-empty added layers (docker history)`,
    IMAGES.map((image, i) => [image, megabytes(sizes[i]!), megabytes(added[i]!), layers[i]!.join("<br>")]),
  );
  section.paragraph(
    othersChanged.length === 0
      ? "No other file in the build context changed during the run."
      : `**Files changed by someone else during the run** (they can make the rebuild redo steps the api change alone would not): ${othersChanged.map((f) => `\`${f}\``).join(", ")}.`,
  );
  const installs = rebuild.steps.filter((s) => belongsTo(s, "api") && /\bnpm ci\b/.test(s.instruction));
  const lockfile = "api lockfile install steps (npm ci) cached in the rebuild";
  const yes = (v: number) => (v ? "yes" : "no");
  section.targets([
    // Issue 14: a cold build of the three images in at most 45 s, the rebuild then at most 0.15 of it.
    target("cold build, --no-cache, all three images", cold.seconds, "≤", 45, seconds),
    target("rebuild time / cold build time", rebuild.seconds / cold.seconds, "≤", 0.15, percent),
    target(lockfile, installs.filter((s) => s.cached).length, "≥", Math.max(installs.length, 1), String),
    ...[0, 2].map((i) => target(`${NAMES[i]} image id unchanged by the api change`, Number(same(i)), "≥", 1, yes)),
    ...IMAGES.map((image, i) => target(`size added by ${image}`, added[i]!, "≤", 40e6, megabytes)),
  ]);
  await section.emit(flags.write);
});
