// npm run workshop:prepare: the one command an instructor sends out before
// the day. Run at home, on the learner's own network, it downloads and builds
// everything the 18 lessons use, so that in the room they need no network:
//
//   1. the dependencies (`npm ci`): lessons 1, 9, 11 and 13-17 run npm scripts;
//   2. what lesson 9 imports, built: the webapp and the packages it uses;
//   3. every image a lesson runs, pulled unless it is here already
//      (`--refresh` pulls them all again);
//   4. every image a lesson builds, built once: the lessons' own builds then
//      come from the build cache, `npm ci` layers included, and lesson 3's
//      `apt-get` steps, which need Debian's archive, into the build cache;
//   5. what it pulled, and the disk the images take.
//
// A pull that fails names its image, the rest are still tried, and the exit
// code is 1. Any other step that fails stops the run. Afterwards
// `npm run doctor` says "ready for lessons 1-18 without a network".
//
// Plain Node.js, no dependencies: it runs right after `git clone`, before
// there is a node_modules, and Node 24+ runs this TypeScript file as is.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isEntryPoint } from "./is-entry-point.ts";

export interface WorkshopImage {
  image: string;
  /** Which lessons use it. */
  usedBy: string;
  /** The image is not used while this variable is "true". */
  unlessSet?: string;
}

/**
 * Every image a lesson pulls, in one place: this script pulls them, the doctor
 * checks that they are here, and workshop-prepare.test.ts checks the list
 * against every Dockerfile, Compose file and lesson.
 */
export const WORKSHOP_IMAGES: readonly WorkshopImage[] = [
  { image: "node:26-trixie-slim", usedBy: "the base of every image the lessons build; lessons 1, 7 and 8 run it" },
  { image: "node:26-trixie", usedBy: "lesson 3's size comparison: the full image, with compilers" },
  { image: "postgres:17-trixie", usedBy: "the database from lesson 6 on, and lesson 9's tests" },
  { image: "nginx:1-trixie", usedBy: "the front door of lessons 15 and 17" },
  { image: "adminer:5", usedBy: "the database GUI of lesson 8 (the tools profile)" },
  { image: "registry:3", usedBy: "the registry of lessons 16 and 17" },
  { image: "docker:28-dind", usedBy: "the three machines of lesson 17" },
  { image: "prom/prometheus:v3.5.0", usedBy: "the metrics of lesson 18 (docker-compose.observe.yml)" },
  {
    // The reaper of the testcontainers version in package-lock.json (the test checks it).
    image: "testcontainers/ryuk:0.14.0",
    usedBy: "lesson 9's tests, to remove their containers if a run is killed",
    unlessSet: "TESTCONTAINERS_RYUK_DISABLED",
  },
];

/** The images Compose builds from this repo's Dockerfiles (`docker compose --profile jobs build`). */
export const BUILT_IMAGES = ["stockroom-webapp:latest", "stockroom-api:latest", "stockroom-restock:latest"];

/**
 * Lesson 3's `apt-get` Dockerfiles: the learner types the same lines, so the
 * build finds them in the cache this leaves (`--output type=cacheonly`: no
 * image) and needs no network in the room.
 */
export const CACHED_BUILDS = [
  "docs/workshop/first-image/apt-in-three-steps.Dockerfile",
  "docs/workshop/first-image/apt-in-one-step.Dockerfile",
];

/** What lesson 9 imports (`@stockroom/webapp/db`), and what its exercise's `npm run build -w @stockroom/webapp` needs built. */
export const LESSON_9_BUILD = ["apps/webapp/dist/db/index.js", "packages/http-kit/dist/index.js"];
/** npm writes it once an install has completed. */
const DEPENDENCIES_INSTALLED = "node_modules/.package-lock.json";

type Env = Record<string, string | undefined>;

/** The images this machine needs: Ryuk only while testcontainers may start it. */
export function imagesFor(env: Env): string[] {
  return WORKSHOP_IMAGES.filter(({ unlessSet }) => !unlessSet || env[unlessSet] !== "true").map(({ image }) => image);
}

export interface Ran {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a program (no shell) in the repo and never throws; `show` lets its output through to the terminal. */
export type Exec = (program: string, args: string[], options?: { show?: boolean }) => Promise<Ran>;

const isHere = async (exec: Exec, image: string) =>
  (await exec("docker", ["image", "inspect", "--format", "{{.Id}}", image])).ok;

const listed = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/**
 * The doctor's line on what the preparation left: ℹ when every image, the
 * dependencies and lesson 9's build are here, else ⚠ naming what is missing.
 */
export async function describeReadiness(exec: Exec, exists: (path: string) => boolean, env: Env): Promise<string> {
  const images = imagesFor(env);
  const here = await Promise.all(images.map((image) => isHere(exec, image)));
  const missing = images.filter((_, index) => !here[index]);
  if (!exists(DEPENDENCIES_INSTALLED)) missing.push("the dependencies (node_modules)");
  const unbuilt = LESSON_9_BUILD.filter((path) => !exists(path)).map((path) => path.replace(/\/dist\/.*/, "/dist"));
  if (unbuilt.length > 0) missing.push(`lesson 9's build (${unbuilt.join(", ")})`);
  if (missing.length === 0) {
    return `ℹ Offline: ready for lessons 1-18 without a network (${images.length} images, the dependencies and lesson 9's build are here)`;
  }
  return (
    `⚠ Offline: not ready for lessons 1-18 without a network, missing ${listed(missing)}. ` +
    "Fix: `npm run workshop:prepare`, before the day and on a good network"
  );
}

export interface Preparation {
  exec: Exec;
  /** Whether a path, relative to the repo, exists. */
  exists: (path: string) => boolean;
  env: Env;
  /** Pull every image, also those already here. */
  refresh: boolean;
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

/** Runs the steps, printing one line per step and per image; returns the exit code. */
export async function prepare(preparation: Preparation, print: (line: string) => void): Promise<number> {
  const { exec, env, refresh } = preparation;
  const images = imagesFor(env);
  const width = Math.max(...[...images, ...BUILT_IMAGES].map((image) => image.length));
  const column = (image: string) => `      ${image.padEnd(width)}  `;
  const pulled: string[] = [];
  const notPulled: string[] = [];
  const must = async (program: string, args: string[], fix: string) => {
    if (!(await exec(program, args, { show: true })).ok) {
      throw new Error(`\`${[program, ...args].join(" ")}\` failed (its output is above). What to do: ${fix}`);
    }
  };
  const steps: [string, () => Promise<void>][] = [
    [
      "installing the dependencies: npm ci",
      () => must("npm", ["ci"], "check the network (and a proxy: `npm config get proxy`), then run this again"),
    ],
    [
      "building what lesson 9 imports: npx turbo run build --filter=@stockroom/webapp...",
      () =>
        must(
          "npx",
          ["turbo", "run", "build", "--filter=@stockroom/webapp..."],
          "run `npm run build -w @stockroom/webapp` to see the compiler's error",
        ),
    ],
    [
      `pulling the images the lessons use${refresh ? ", all of them again (--refresh)" : " (--refresh pulls those already here too)"}`,
      async () => {
        const engine = await exec("docker", ["version", "--format", "{{.Server.Version}}"]);
        if (!engine.ok) {
          throw new Error(
            `the Docker engine does not answer (${engine.stderr.split("\n")[0]}). ` +
              "What to do: start Docker Desktop, or on Linux `sudo systemctl start docker`; `npm run doctor` says more",
          );
        }
        for (const image of images) {
          if (!refresh && (await isHere(exec, image))) {
            print(`${column(image)}present`);
            continue;
          }
          print(`${column(image)}pulling`);
          const ok = (await exec("docker", ["pull", image], { show: true })).ok;
          (ok ? pulled : notPulled).push(image);
          print(`${column(image)}${ok ? "pulled" : `✘ could not pull ${image} (Docker's error is above)`}`);
        }
      },
    ],
    [
      "building the images the lessons build: docker compose --profile jobs build, and lesson 3's apt-get steps",
      async () => {
        await must("docker", ["compose", "--profile", "jobs", "build"], "run it again; its error names the step");
        for (const dockerfile of CACHED_BUILDS) {
          const args = ["build", "-q", "--output", "type=cacheonly", "-f", dockerfile, dirname(dockerfile)];
          await must("docker", args, "check the network: its `apt-get` needs Debian's archive");
        }
      },
    ],
    [
      "what it pulled, and the disk the images take",
      async () => {
        const none = notPulled.length > 0 ? "nothing" : "nothing, every image was here";
        print(`      pulled: ${pulled.length > 0 ? listed(pulled) : none}`);
        for (const image of [...images, ...BUILT_IMAGES]) {
          const size = await exec("docker", ["image", "inspect", "--format", "{{.Size}}", image]);
          print(`${column(image)}${size.ok ? mb(Number(size.stdout)) : "not here"}`);
        }
        const df = await exec("docker", ["system", "df", "--format", "{{.Type}}\t{{.Size}}"]);
        const total = (type: string) => df.stdout.match(new RegExp(`^${type}\\t(.+)$`, "m"))?.[1] ?? "?";
        if (df.ok) {
          print(
            `      all of Docker's images take ${total("Images")}, its build cache ${total("Build Cache")} (docker system df)`,
          );
        }
      },
    ],
  ];
  for (const [index, [title, action]] of steps.entries()) {
    print(`[${index + 1}/${steps.length}] ${title}`);
    try {
      await action();
    } catch (err) {
      print(`  ✘ ${(err as Error).message}`);
      return 1;
    }
  }
  if (notPulled.length > 0) {
    const them = notPulled.length === 1 ? "it" : "them";
    print("");
    print(
      `✘ Could not pull ${listed(notPulled)}: the lessons that use ${them} would download ${them} in the room. ` +
        "Check the network (and a proxy: `npm run doctor`), then run `npm run workshop:prepare` again.",
    );
    return 1;
  }
  // The doctor's own line, so both say the same.
  const readiness = await describeReadiness(exec, preparation.exists, env);
  print("");
  print(readiness);
  return readiness.startsWith("ℹ") ? 0 : 1;
}

// The real machine.

const execIn =
  (dir: string): Exec =>
  (program, args, { show = false } = {}) =>
    new Promise((resolve) => {
      const child = spawn(program, args, { cwd: dir, stdio: show ? "inherit" : ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (chunk) => (stdout += chunk));
      child.stderr?.on("data", (chunk) => (stderr += chunk));
      child.on("error", (err) => resolve({ ok: false, stdout, stderr: err.message }));
      child.on("close", (code) => resolve({ ok: code === 0, stdout: stdout.trim(), stderr: stderr.trim() }));
    });

if (isEntryPoint(import.meta)) {
  const args = process.argv.slice(2);
  if (args.some((arg) => arg !== "--refresh")) {
    console.error("usage: npm run workshop:prepare [-- --refresh]  (--refresh pulls the images already here too)");
    process.exitCode = 2;
  } else {
    const repoDir = fileURLToPath(new URL("..", import.meta.url));
    const preparation: Preparation = {
      exec: execIn(repoDir),
      exists: (path) => existsSync(join(repoDir, path)),
      env: process.env,
      refresh: args.includes("--refresh"),
    };
    process.exitCode = await prepare(preparation, (line) => console.log(line));
  }
}
