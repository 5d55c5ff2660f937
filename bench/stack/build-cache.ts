/**
 * Build cache and image size (issue item 4).
 *
 *   flock /tmp/walkthrough.lock node bench/stack/build-cache.ts [--write <file>]
 *
 * A cold `docker compose build --no-cache` of the three images, then a
 * one-line change in apps/api/src (a comment with a unique marker, always
 * removed again in a finally block) and a rebuild: both times, which steps
 * came from the cache (`--progress=plain`), whether the webapp and restock
 * images kept their ids, and the size each image adds on top of its base.
 * Finally it rebuilds from the restored source, so the stockroom-api image
 * it leaves behind is the one from the unchanged code.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { execa } from "execa";
import { describeMachine } from "../lib/machine.ts";
import { log, onCleanup, parseFlags, runScript } from "./cli.ts";
import type { ComposeProject } from "./compose.ts";
import { composeProject, repoRoot } from "./compose.ts";
import type { Target } from "./report.ts";
import { Section } from "./report.ts";
import { megabytes, percent, seconds, timed } from "./timing.ts";

const flags = parseFlags({});
const IMAGES = {
  webapp: "stockroom-webapp:latest",
  api: "stockroom-api:latest",
  restock: "stockroom-restock:latest",
} as const;
const BASE_IMAGE = "node:26-trixie-slim";
/** Issue 14: a cold build of the three images in at most 45 s (the rebuild then at most 0.15 of it). */
const COLD_BUILD_TARGET_S = 45;
/** The file the change goes into: the api's entry point. */
const CHANGED_FILE = join(repoRoot, "apps/api/src/main.ts");

interface Step {
  id: string;
  /**
   * e.g. ["api build 3/6"]. BuildKit runs a step the images share (the prune
   * stage's first steps) once, under one number, and prints it with each
   * image's label.
   */
  stages: string[];
  instruction: string;
  cached: boolean;
  seconds?: number;
}

/** Reads BuildKit's plain progress: `#N [stage] INSTRUCTION`, then `#N CACHED` or `#N DONE 1.2s`. */
function parseSteps(progress: string): Step[] {
  const steps = new Map<string, Step>();
  for (const line of progress.split("\n")) {
    const header = /^#(\d+) \[([^\]]+)\] (.*)$/.exec(line);
    if (header) {
      const [, id, stage, instruction] = header as unknown as [string, string, string, string];
      const step = steps.get(id) ?? { id, stages: [], instruction, cached: false };
      if (!step.stages.includes(stage)) step.stages.push(stage);
      steps.set(id, step);
      continue;
    }
    const status = /^#(\d+) (CACHED|DONE ([\d.]+)s)$/.exec(line);
    const step = status && steps.get(status[1]!);
    if (!step) continue;
    if (status[2] === "CACHED") step.cached = true;
    else step.seconds = Number(status[3]);
  }
  // Only Dockerfile instructions ("api build 3/6"), not "internal" loads, exports or the FROM line.
  return [...steps.values()].filter(
    (s) => s.stages.some((stage) => /\d+\/\d+$/.test(stage)) && !s.instruction.startsWith("FROM "),
  );
}

const belongsTo = (step: Step, image: string) => step.stages.some((stage) => stage.startsWith(`${image} `));

/** Files changed since `since` outside what a build never reads: someone else editing the repo during the run. */
async function changedSince(since: number, except: string[]): Promise<string[]> {
  const skip = new Set([".git", "node_modules", "dist", ".turbo", "test-results", "coverage", "out"]);
  const changed: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && (await stat(path)).mtimeMs > since && !except.includes(path))
        changed.push(relative(repoRoot, path));
    }
  };
  await walk(repoRoot);
  return changed.sort();
}

const logDir = await mkdtemp(join(tmpdir(), "stockroom-bench-build-"));
let buildNumber = 0;

/** One `docker compose build`; its plain progress is kept in a file under `logDir`. */
async function build(
  stack: ComposeProject,
  args: string[],
): Promise<{ seconds: number; steps: Step[]; logFile: string }> {
  log(`docker compose --progress=plain build ${args.join(" ")}`);
  const { seconds: took, value } = await timed(() =>
    stack.runWithJobs(["--progress=plain", "build", ...args], { all: true }),
  );
  const logFile = join(logDir, `build-${++buildNumber}.log`);
  await writeFile(logFile, String(value.all));
  return { seconds: took, steps: parseSteps(String(value.all)), logFile };
}

async function imageIds(): Promise<Record<keyof typeof IMAGES, string>> {
  const id = async (ref: string) =>
    (await execa("docker", ["image", "inspect", "--format", "{{.Id}}", ref])).stdout.trim();
  return { webapp: await id(IMAGES.webapp), api: await id(IMAGES.api), restock: await id(IMAGES.restock) };
}

async function imageSize(ref: string): Promise<number> {
  return Number((await execa("docker", ["image", "inspect", "--format", "{{.Size}}", ref])).stdout.trim());
}

/** The layers an image adds on top of its base (docker history lists newest first). */
async function addedLayers(ref: string): Promise<string[]> {
  const history = async (image: string) =>
    (await execa("docker", ["history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", image])).stdout
      .trim()
      .split("\n");
  const [own, base] = await Promise.all([history(ref), history(BASE_IMAGE)]);
  return own
    .slice(0, own.length - base.length)
    .filter((line) => !line.startsWith("0B"))
    .map((line) => {
      const [size, createdBy = ""] = line.split("\t");
      const what = createdBy
        .replace(/^\/bin\/sh -c (#\(nop\) )?/, "")
        .replace(/\s+/g, " ")
        .replace(/\|/g, "\\|");
      return `${size} ${what.length > 70 ? `${what.slice(0, 70)}…` : what}`;
    });
}

const shortStep = (s: Step) => {
  const what = s.instruction
    .replace(/--mount=\S+ /g, "")
    .replace(/\s+/g, " ")
    .replace(/\|/g, "\\|");
  return `${s.stages.join(", ")}: ${what.length > 60 ? `${what.slice(0, 60)}…` : what}`;
};

await runScript(async () => {
  const machine = await describeMachine();
  const stack = composeProject("build-cache");

  const coldStarted = Date.now();
  const cold = await build(stack, ["--no-cache"]);
  const coldIds = await imageIds();

  const original = await readFile(CHANGED_FILE, "utf8");
  const marker = `bench-build-cache-${randomBytes(6).toString("hex")}`;
  let restored = false;
  const restore = async () => {
    if (restored) return;
    await writeFile(CHANGED_FILE, original);
    restored = true;
    log(`restored ${CHANGED_FILE}`);
  };
  onCleanup(restore);
  let rebuild: Awaited<ReturnType<typeof build>>;
  try {
    await writeFile(CHANGED_FILE, `${original}// ${marker}\n`);
    log(`appended "// ${marker}" to apps/api/src/main.ts`);
    rebuild = await build(stack, []);
  } finally {
    await restore();
  }
  const rebuildIds = await imageIds();
  // BuildKit reads the context at the start of each build: edits by others after the cold build started confound the rebuild.
  const othersChanged = await changedSince(coldStarted, [CHANGED_FILE]);
  if ((await readFile(CHANGED_FILE, "utf8")) !== original) throw new Error(`${CHANGED_FILE} was not restored`);

  // Leave the api image built from the unchanged source (all of it cached from the cold build).
  const back = await build(stack, []);
  const finalIds = await imageIds();

  const baseSize = await imageSize(BASE_IMAGE);
  const sizes = await Promise.all(
    (Object.keys(IMAGES) as Array<keyof typeof IMAGES>).map(async (name) => ({
      name,
      size: await imageSize(IMAGES[name]),
      layers: await addedLayers(IMAGES[name]),
    })),
  );

  const section = new Section("Build cache and image size", machine, flags);
  section.paragraph(
    "`docker compose --progress=plain --profile jobs build --no-cache` (webapp, api, restock; Compose builds them in parallel), " +
      `then \`// ${marker}\` appended to apps/api/src/main.ts and a plain \`build\`; the file was restored in a finally block ` +
      `and a third build put the unchanged api image back (${seconds(back.seconds)}, ${back.steps.filter((s) => !s.cached).length} steps not cached). ` +
      "`--no-cache` does not empty BuildKit's `--mount=type=cache` npm cache, so the cold build's `npm ci` still reads cached tarballs; " +
      `the base images were present. Raw progress: ${logDir}.`,
  );
  const count = (steps: Step[], image: string) => {
    const own = steps.filter((s) => belongsTo(s, image));
    return `${own.filter((s) => s.cached).length} of ${own.length} cached`;
  };
  section.table(
    ["build", "wall time", "webapp steps", "api steps", "restock steps"],
    [
      [
        "cold, --no-cache",
        seconds(cold.seconds),
        count(cold.steps, "webapp"),
        count(cold.steps, "api"),
        count(cold.steps, "restock"),
      ],
      [
        "after a one-line api change",
        seconds(rebuild.seconds),
        count(rebuild.steps, "webapp"),
        count(rebuild.steps, "api"),
        count(rebuild.steps, "restock"),
      ],
    ],
  );
  section.table(
    ["rebuild step (not cached ones take time)", "cached", "time"],
    rebuild.steps
      .filter((s) => belongsTo(s, "api") || !s.cached)
      .sort((a, b) => a.stages[0]!.localeCompare(b.stages[0]!, "en", { numeric: true }))
      .map((s) => [shortStep(s), s.cached ? "yes" : "**no**", s.seconds === undefined ? "-" : seconds(s.seconds)]),
  );
  const same = (name: keyof typeof IMAGES) =>
    coldIds[name] === rebuildIds[name] ? "same (not rebuilt)" : "**changed**";
  section.table(
    ["image", "id after cold build", "id after api change", "verdict", "id after restoring"],
    (Object.keys(IMAGES) as Array<keyof typeof IMAGES>).map((name) => [
      IMAGES[name],
      coldIds[name].slice(7, 19),
      rebuildIds[name].slice(7, 19),
      name === "api"
        ? coldIds.api === rebuildIds.api
          ? "**same: the change did not reach the image**"
          : "changed (expected)"
        : same(name),
      finalIds[name] === coldIds[name] ? "same as cold" : finalIds[name].slice(7, 19),
    ]),
  );
  section.table(
    [
      "image",
      "size",
      `added on top of ${BASE_IMAGE} (${megabytes(baseSize)})`,
      "non-empty added layers (docker history)",
    ],
    sizes.map((s) => [IMAGES[s.name], megabytes(s.size), megabytes(s.size - baseSize), s.layers.join("<br>")]),
  );

  section.paragraph(
    othersChanged.length === 0
      ? "No other file in the build context changed during the run."
      : `**Files changed by someone else during the run** (they can make the rebuild redo steps the api change alone would not): ${othersChanged.map((f) => `\`${f}\``).join(", ")}.`,
  );
  const lockfileInstalls = rebuild.steps.filter((s) => belongsTo(s, "api") && /\bnpm ci\b/.test(s.instruction));
  const targets: Target[] = [
    {
      name: "cold build, --no-cache, all three images",
      measured: cold.seconds,
      limit: COLD_BUILD_TARGET_S,
      kind: "max",
      format: seconds,
    },
    {
      name: "rebuild time / cold build time",
      measured: rebuild.seconds / cold.seconds,
      limit: 0.15,
      kind: "max",
      format: percent,
    },
    {
      name: "api lockfile install steps (npm ci) cached in the rebuild",
      measured: lockfileInstalls.filter((s) => s.cached).length,
      limit: Math.max(lockfileInstalls.length, 1),
      kind: "min",
      format: (v) => `${v}`,
    },
    ...(["webapp", "restock"] as const).map(
      (name): Target => ({
        name: `${name} image id unchanged by the api change`,
        measured: coldIds[name] === rebuildIds[name] ? 1 : 0,
        limit: 1,
        kind: "min",
        format: (v) => (v ? "yes" : "no"),
      }),
    ),
    ...sizes.map(
      (s): Target => ({
        name: `size added by ${IMAGES[s.name]}`,
        measured: s.size - baseSize,
        limit: 40e6,
        kind: "max",
        format: megabytes,
      }),
    ),
  ];
  section.targets(targets);
  await section.emit(flags.write);
});
