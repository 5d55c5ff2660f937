import { globSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConsoleBlocks } from "../test/walkthroughs/console-blocks.ts";
import type { Exec, Ran } from "./workshop-prepare.ts";
import {
  BUILT_IMAGES,
  CACHED_BUILDS,
  imagesFor,
  LESSON_9_BUILD,
  prepare,
  WORKSHOP_IMAGES,
} from "./workshop-prepare.ts";

// npm run workshop:prepare against a fake machine that keeps track of its
// images, then the list of the workshop's images against the repository:
// every image a Dockerfile, a Compose file or a lesson names is in it.

const ok = (stdout = ""): Ran => ({ ok: true, stdout, stderr: "" });
const no = (stderr: string): Ran => ({ ok: false, stdout: "", stderr });
const ALL = imagesFor({});

/** A machine with `present` images; a pull adds its image unless `failing` names it. Records every command. */
function fakeMachine({ present = ALL, failing = [] as string[], answers = {} as Record<string, Ran> } = {}) {
  const images = new Set(present);
  const commands: string[] = [];
  const exec: Exec = async (program, args, { show = false } = {}) => {
    const key = [program, ...args].join(" ");
    commands.push(show ? `${key}  (shown)` : key);
    const answer = answers[key];
    if (answer) return answer;
    const [image = ""] = args.slice(-1);
    if (key.startsWith("docker image inspect --format {{.Id}} ")) return images.has(image) ? ok("sha256:1") : no("");
    if (key.startsWith("docker image inspect --format {{.Size}} ")) {
      return images.has(image) || image.startsWith("stockroom-") ? ok("284000000") : no("");
    }
    if (key.startsWith("docker pull ")) {
      if (failing.includes(image)) return no("");
      images.add(image);
      return ok();
    }
    if (key === "docker system df --format {{.Type}}\t{{.Size}}") {
      return ok("Images\t3.2GB\nContainers\t0B\nLocal Volumes\t48MB\nBuild Cache\t1.1GB");
    }
    return ok();
  };
  return { exec, commands };
}

async function runPrepare(machine: { exec: Exec }, { refresh = false, env = {} as Record<string, string> } = {}) {
  const lines: string[] = [];
  const exitCode = await prepare({ exec: machine.exec, exists: () => true, env, refresh }, (line) => lines.push(line));
  return { exitCode, lines };
}

describe("npm run workshop:prepare", () => {
  it("installs, builds lesson 9's imports, pulls what is missing, builds the images, then says what it all takes", async () => {
    const machine = fakeMachine({
      present: ["node:26-trixie-slim", "node:26-trixie", "registry:3", "docker:28-dind", "prom/prometheus:v3.5.0"],
    });
    const { exitCode, lines } = await runPrepare(machine);
    expect(exitCode).toBe(0);
    expect(machine.commands.filter((command) => command.endsWith("(shown)"))).toEqual([
      "npm ci  (shown)",
      "npx turbo run build --filter=@stockroom/webapp...  (shown)",
      "docker pull postgres:17-trixie  (shown)",
      "docker pull nginx:1-trixie  (shown)",
      "docker pull adminer:5  (shown)",
      "docker pull testcontainers/ryuk:0.14.0  (shown)",
      "docker compose --profile jobs build  (shown)",
      ...CACHED_BUILDS.map(
        (file) => `docker build -q --output type=cacheonly -f ${file} docs/workshop/first-image  (shown)`,
      ),
    ]);
    expect(lines.slice(0, 16)).toEqual([
      "[1/5] installing the dependencies: npm ci",
      "[2/5] building what lesson 9 imports: npx turbo run build --filter=@stockroom/webapp...",
      "[3/5] pulling the images the lessons use (--refresh pulls those already here too)",
      "      node:26-trixie-slim         present",
      "      node:26-trixie              present",
      "      postgres:17-trixie          pulling",
      "      postgres:17-trixie          pulled",
      "      nginx:1-trixie              pulling",
      "      nginx:1-trixie              pulled",
      "      adminer:5                   pulling",
      "      adminer:5                   pulled",
      "      registry:3                  present",
      "      docker:28-dind              present",
      "      prom/prometheus:v3.5.0      present",
      "      testcontainers/ryuk:0.14.0  pulling",
      "      testcontainers/ryuk:0.14.0  pulled",
    ]);
    expect(lines.slice(16)).toEqual([
      "[4/5] building the images the lessons build: docker compose --profile jobs build, and lesson 3's apt-get steps",
      "[5/5] what it pulled, and the disk the images take",
      "      pulled: postgres:17-trixie, nginx:1-trixie, adminer:5 and testcontainers/ryuk:0.14.0",
      ...[...ALL, ...BUILT_IMAGES].map((image) => `      ${image.padEnd(26)}  284 MB`),
      "      all of Docker's images take 3.2GB, its build cache 1.1GB (docker system df)",
      "",
      "ℹ Offline: ready for lessons 1-18 without a network (9 images, the dependencies and lesson 9's build are here)",
    ]);
  });

  it("pulls every image again with --refresh, and leaves Ryuk out where testcontainers will not start it", async () => {
    const machine = fakeMachine();
    const { exitCode, lines } = await runPrepare(machine, {
      refresh: true,
      env: { TESTCONTAINERS_RYUK_DISABLED: "true" },
    });
    expect(exitCode).toBe(0);
    expect(lines[2]).toBe("[3/5] pulling the images the lessons use, all of them again (--refresh)");
    const pulls = machine.commands.filter((command) => command.startsWith("docker pull "));
    expect(pulls).toEqual(imagesFor({ TESTCONTAINERS_RYUK_DISABLED: "true" }).map((i) => `docker pull ${i}  (shown)`));
    expect(pulls.join()).not.toContain("ryuk");
    expect(lines).toContain(
      "      pulled: node:26-trixie-slim, node:26-trixie, postgres:17-trixie, nginx:1-trixie, adminer:5, registry:3, docker:28-dind and prom/prometheus:v3.5.0",
    );
  });

  it("names an image it could not pull, still pulls the rest and builds, and exits 1", async () => {
    const machine = fakeMachine({ present: [], failing: ["nginx:1-trixie"] });
    const { exitCode, lines } = await runPrepare(machine);
    expect(exitCode).toBe(1);
    expect(lines).toContain(
      "      nginx:1-trixie              ✘ could not pull nginx:1-trixie (Docker's error is above)",
    );
    expect(machine.commands).toContain("docker pull registry:3  (shown)");
    expect(machine.commands).toContain("docker compose --profile jobs build  (shown)");
    expect(lines).toContain("      nginx:1-trixie              not here");
    expect(lines.at(-1)).toBe(
      "✘ Could not pull nginx:1-trixie: the lessons that use it would download it in the room. " +
        "Check the network (and a proxy: `npm run doctor`), then run `npm run workshop:prepare` again.",
    );
  });

  it("stops at a step that fails, saying what to do", async () => {
    const machine = fakeMachine({ answers: { "npm ci": no("") } });
    const { exitCode, lines } = await runPrepare(machine);
    expect(exitCode).toBe(1);
    expect(machine.commands).toEqual(["npm ci  (shown)"]);
    expect(lines).toEqual([
      "[1/5] installing the dependencies: npm ci",
      "  ✘ `npm ci` failed (its output is above). What to do: check the network " +
        "(and a proxy: `npm config get proxy`), then run this again",
    ]);
  });

  it("stops before pulling when the Docker engine does not answer", async () => {
    const daemon = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?";
    const machine = fakeMachine({ answers: { "docker version --format {{.Server.Version}}": no(daemon) } });
    const { exitCode, lines } = await runPrepare(machine);
    expect(exitCode).toBe(1);
    expect(lines.at(-1)).toBe(
      `  ✘ the Docker engine does not answer (${daemon}). What to do: start Docker Desktop, ` +
        "or on Linux `sudo systemctl start docker`; `npm run doctor` says more",
    );
    expect(machine.commands.some((command) => command.startsWith("docker pull"))).toBe(false);
  });
});

// The repository, read as the lessons use it.

const REPO = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(REPO, path), "utf8");
const files = (pattern: string) =>
  globSync(pattern, { cwd: REPO, exclude: (path) => /(^|\/)(node_modules|\.git)$/.test(String(path)) }).sort();
const LISTED = WORKSHOP_IMAGES.map(({ image }) => image);
/** The workshop's own images: built from this repo, or pushed to a registry of lessons 16 and 17. */
const isOurs = (image: string) => /^(stockroom-|127\.0\.0\.1:|localhost:|registry:5000\/)/.test(image);

/** The images a lesson's command runs, pulls, or builds FROM. */
function imagesIn(command: string): string[] {
  // A Dockerfile typed into `printf '...' | docker build -`, a here-document's or sed's
  // FROM line (`sed 's/^FROM a$/FROM b/'`), and `docker service update --image`.
  const dockerfiles = [...command.matchAll(/printf '([^']*)'/g)].map((match) => match[1] ?? "");
  const images = [
    ...dockerfiles.flatMap((text) => [...text.matchAll(/(?:^|\\n)FROM (\S+?)(?=\\n|\s|$)/g)]),
    ...command.matchAll(/(?:^|[/^])FROM ([^\s/$'"]+)/gm),
    ...command.matchAll(/--image[= ](\S+)/g),
  ].map((match) => match[1] ?? "");
  const valued = /^-(e|p|v|u|w)$|^--(name|env|publish|volume|user|entrypoint|network|tmpfs|workdir|platform)$/;
  for (const match of command.matchAll(/\bdocker (?:container )?(?:run|create|pull)\b(.*)/g)) {
    const tokens = (match[1] ?? "").match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] ?? "";
      if (/^(\||;|&&|\|\|)$/.test(token)) break;
      if (!token.startsWith("-")) {
        images.push(token);
        break;
      }
      if (valued.test(token)) i++;
    }
  }
  return images.filter((image) => image !== "scratch" && !image.includes("$") && !/^["']/.test(image));
}

describe("the workshop's images", () => {
  it("lists every image a Dockerfile builds FROM (its ARG defaults resolved)", () => {
    for (const path of files("**/Dockerfile")) {
      const text = read(path);
      const args = Object.fromEntries([...text.matchAll(/^ARG (\w+)=(\S+)/gm)].map((m) => [m[1], m[2]]));
      const stages = new Set([...text.matchAll(/^FROM .* AS (\S+)/gm)].map((m) => m[1]));
      for (const [, from = ""] of text.matchAll(/^FROM (\S+)/gm)) {
        const image = from.replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name] ?? from);
        if (!stages.has(image)) expect(LISTED, `${path}: FROM ${from}`).toContain(image);
      }
    }
  });

  it("lists every image: of a Compose or stack file that is not built here", () => {
    const composeFiles = files("**/*.yml").filter((path) => /^services:/m.test(read(path)));
    expect(composeFiles).toContain("swarm-lab/compose.yml");
    for (const path of composeFiles) {
      for (const [, image = ""] of read(path).matchAll(/^\s*image:\s*["']?([^"'\s#]+)/gm)) {
        if (!isOurs(image)) expect(LISTED, `${path}: image: ${image}`).toContain(image);
      }
    }
  });

  it("lists every image a lesson's console block runs, pulls or builds FROM", () => {
    const seen = new Set<string>();
    for (const path of files("docs/workshop/*.md")) {
      for (const block of parseConsoleBlocks(read(path))) {
        for (const { command, line } of block.commands) {
          for (const image of imagesIn(command).filter((image) => !isOurs(image))) {
            seen.add(image);
            expect(LISTED, `${path}:${line}: ${command}`).toContain(image);
          }
        }
      }
    }
    expect([...seen].sort()).toEqual(["node:26-trixie", "node:26-trixie-slim", "postgres:17-trixie", "registry:3"]);
  });

  it("lists the Postgres of lesson 9's test, and the Ryuk of the testcontainers installed", () => {
    const test = read("test/db/visit-store.int.test.ts");
    for (const [, image = ""] of test.matchAll(/Container\("([^"]+)"\)/g)) expect(LISTED).toContain(image);
    const reaper = read("node_modules/testcontainers/build/reaper/reaper.js").match(/"(testcontainers\/ryuk:[^"]+)"/);
    expect(LISTED).toContain(reaper?.[1]);
  });

  it("builds every Dockerfile a lesson or a Compose file builds, with one docker compose --profile jobs build", () => {
    const built = [...read("docker-compose.yml").matchAll(/^\s*dockerfile:\s*(\S+)/gm)].map((m) => m[1]);
    const named = [...read("docker-compose.yml").matchAll(/^\s*image:\s*(stockroom-\S+)/gm)].map((m) => m[1]);
    expect(new Set(named)).toEqual(new Set(BUILT_IMAGES));
    const lessons = files("docs/workshop/**/*.md").map(read).join("\n");
    const composeFiles = files("**/*.yml").map(read).join("\n");
    const used = [
      ...lessons.matchAll(/docker build .*-f (\S+Dockerfile)/g),
      ...composeFiles.matchAll(/^\s*dockerfile:\s*(\S+)/gm),
    ].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const dockerfile of used) expect(built).toContain(dockerfile);
  });

  it("covers what lesson 9 imports: the webapp and every workspace package it depends on", () => {
    const webapp = JSON.parse(read("apps/webapp/package.json")) as { dependencies: Record<string, string> };
    const packages = Object.keys(webapp.dependencies)
      .filter((name) => name.startsWith("@stockroom/"))
      .map((name) => `packages/${name.slice("@stockroom/".length)}/dist/`);
    expect(packages.length).toBeGreaterThan(0);
    for (const dist of ["apps/webapp/dist/", ...packages]) {
      expect(LESSON_9_BUILD.some((path) => path.startsWith(dist))).toBe(true);
    }
  });
});
