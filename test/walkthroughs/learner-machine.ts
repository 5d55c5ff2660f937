import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { execa } from "execa";
import { repoRoot } from "../support/repo.js";
import { MISSING_ON_MAC } from "./portability.js";

/**
 * The machine the walkthroughs type the lessons on, as close to a learner's
 * as this Linux CI gets: a fresh clone of the repository (no node_modules, no
 * dist, no .env), and a PATH with macOS's command-line tools instead of GNU's.
 */

/** macOS's versions of tools both systems have, where they differ in what the lessons could use (mac-bin/). */
const BSD_BEHAVIOUR = {
  wc: "wc",
  sed: "sed",
  grep: "refuse-option",
  date: "refuse-option",
  stat: "refuse-option",
  head: "refuse-option",
};

export interface LearnerMachine {
  /** The clone's folder, where every lesson starts. */
  clone: string;
  /** The shell's whole environment: what a learner's terminal has. */
  env: Record<string, string>;
  remove(): Promise<void>;
}

/**
 * Clones the committed tree (plus uncommitted changes to tracked files and new
 * untracked ones, so a lesson being edited runs as it would once committed)
 * into a folder named `stockroom`, and builds the Mac-like PATH beside it.
 */
export async function prepareLearnerMachine(): Promise<LearnerMachine> {
  const home = mkdtempSync(join(tmpdir(), "stockroom-learner-"));
  const clone = join(home, "stockroom");
  await execa("git", ["clone", "--quiet", "--no-hardlinks", repoRoot, clone]);
  const diff = await execa("git", ["-C", repoRoot, "diff", "HEAD", "--binary"], { stripFinalNewline: false });
  if (diff.stdout.trim() !== "")
    await execa("git", ["-C", clone, "apply", "--whitespace=nowarn"], { input: diff.stdout });
  const untracked = (await execa("git", ["-C", repoRoot, "ls-files", "--others", "--exclude-standard", "-z"])).stdout;
  for (const file of untracked.split("\0").filter(Boolean)) {
    mkdirSync(join(clone, file, ".."), { recursive: true });
    copyFileSync(join(repoRoot, file), join(clone, file));
  }
  // Committed in the clone, so it is as clean as a fresh one and `git checkout -- FILE` restores these versions.
  await execa("git", ["-C", clone, "add", "--all"]);
  const commit = ["-c", "user.name=walkthroughs", "-c", "user.email=walkthroughs@localhost", "commit", "--quiet"];
  await execa("git", ["-C", clone, ...commit, "--allow-empty", "--message", "uncommitted changes"]);
  const bin = join(home, "bin");
  macLikeBin(bin, process.env.PATH ?? "");
  const passThrough = [
    "DOCKER_HOST",
    "DOCKER_CONTEXT",
    "TESTCONTAINERS_RYUK_DISABLED",
    "CHROMIUM_PATH",
    "USER",
    "LOGNAME",
  ];
  const env: Record<string, string> = {
    HOME: process.env.HOME ?? home,
    PATH: bin,
    TERM: "xterm-256color",
    LANG: "C.UTF-8",
    SHELL: "/bin/zsh",
  };
  for (const name of passThrough) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return { clone, env, remove: async () => rmSync(home, { recursive: true, force: true }) };
}

/** One folder for the PATH: every command of `path` but the ones macOS lacks, and BSD behaviour where it differs. */
function macLikeBin(bin: string, path: string): void {
  mkdirSync(bin, { recursive: true });
  for (const [tool, shim] of Object.entries(BSD_BEHAVIOUR)) {
    copyFileSync(join(import.meta.dirname, "mac-bin", shim), join(bin, tool));
    chmodSync(join(bin, tool), 0o755);
  }
  for (const dir of path.split(delimiter)) {
    // npm puts the repo's node_modules/.bin first for its scripts; a learner's shell has none of it.
    if (!dir || dir.includes("node_modules") || !existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (name in MISSING_ON_MAC || existsSync(join(bin, name))) continue;
      symlinkSync(join(dir, name), join(bin, name));
    }
  }
}
