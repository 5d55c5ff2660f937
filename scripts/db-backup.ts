// npm run db:backup [-- FILE] [--force] | npm run db:restore -- FILE [--force]:
// the visits out of Postgres into a file on this machine, and back, each in
// one step (lesson 7, step 7, does the same by hand).
//
//   backup   `docker compose exec -T db pg_dump` into backups/<project>-<time>.sql,
//            or FILE; an existing file is replaced only with --force.
//   restore  FILE back into the database with psql, in one transaction; a
//            database that holds visits is replaced only with --force.
//
// The Compose project is the one `docker compose` finds here: docker-compose.yml
// and its `name:`, or COMPOSE_PROJECT_NAME, COMPOSE_FILE... from the environment.
//
// Why pg_dump's plain SQL, not its custom format: it restores exactly (the
// visits with their ids, the identity sequence where it was, all 16 counter
// rows), psql runs it in a single transaction that an error rolls back whole,
// and a person can open it. Its last line says "dump complete", so a file cut
// short is found on this machine, before the database is touched
// (db-dump-file.ts); `pg_restore --list` reads a custom archive's table of
// contents, at its start, and misses a file cut short in its data.
//
// Every run ends with one line saying what it did (✔) or why it did nothing
// (✘, then "What to do:"); exit code 0, 1 when refused or failed, 2 for bad
// arguments. Plain Node.js, no dependencies, like the other scripts.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DumpSummary } from "./db-dump-file.ts";
import { describeContents, formatBytes, NotADump, readDump } from "./db-dump-file.ts";
import { isEntryPoint } from "./is-entry-point.ts";

export interface Ran {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs `docker compose <args>` in the repo (no shell) and never throws.
 * `stdinFrom` feeds it a file, `stdoutTo` writes its output to one.
 */
export type Compose = (args: string[], files?: { stdinFrom?: string; stdoutTo?: string }) => Promise<Ran>;

/** What the commands need from the machine; the unit tests pass a fake `compose`. */
export interface Machine {
  compose: Compose;
  env: Record<string, string | undefined>;
  /** Where a FILE argument is relative to: the folder npm was run from. */
  cwd: string;
  /** The repo root: where `docker compose` runs, and where backups/ is. */
  repoDir: string;
  now: () => Date;
}

export interface Output {
  info: (line: string) => void;
  error: (line: string) => void;
}

/** The user and database docker-compose.yml gives the db service. */
const AS_STOCKROOM = ["-U", "stockroom", "-d", "stockroom"];
/** --clean --if-exists: the file drops the tables before it creates and fills them again. */
const PG_DUMP = ["exec", "-T", "db", "pg_dump", ...AS_STOCKROOM, "--clean", "--if-exists"];
/** -1 (--single-transaction) with ON_ERROR_STOP: the first error stops psql, and nothing is committed. */
const PSQL = ["exec", "-T", "db", "psql", ...AS_STOCKROOM, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"];
/** What the database holds, in the transaction that restored it (the file sets search_path to ''). */
const RESTORED = "restored|";
const WHAT_IT_HOLDS =
  `SELECT '${RESTORED}' || count(*) || '|' || coalesce(min(id), 0) || '|' || coalesce(max(id), 0) ` +
  "|| '|' || (SELECT coalesce(sum(total), 0) FROM public.visit_totals) FROM public.visits";

export const USAGE = {
  backup: "usage: npm run db:backup [-- FILE] [--force]   (FILE defaults to backups/<project>-<time>.sql)",
  restore: "usage: npm run db:restore -- FILE [--force]",
} as const;
export type Command = keyof typeof USAGE;

/** It did nothing, and says why and what to do. */
class Refused extends Error {
  readonly fix: string;
  constructor(problem: string, fix: string) {
    super(problem);
    this.fix = fix;
  }
}

export interface Arguments {
  file?: string;
  force: boolean;
}

/**
 * FILE and --force. `npm run db:restore FILE --force` without `--` hands
 * --force to npm itself, which sets npm_config_force instead: taken as meant.
 */
export function parseArguments(command: Command, args: string[], env: Machine["env"]): Arguments | string {
  const files = args.filter((arg) => !arg.startsWith("-"));
  const unknown = args.filter((arg) => arg.startsWith("-") && arg !== "--force");
  if (unknown.length > 0) return `unknown option ${unknown.join(" ")}`;
  if (files.length > 1) return `one file at a time, not ${files.length}`;
  if (command === "restore" && files.length === 0) return "name the backup file to restore";
  return {
    ...(files[0] ? { file: files[0] } : {}),
    force: args.includes("--force") || env.npm_config_force === "true",
  };
}

/** backups/stockroom-20261206T055714Z.sql: sorts by time, and has no `:` (Windows forbids it in names). */
export function defaultBackupName(project: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return join("backups", `${project}-${stamp}.sql`);
}

const firstError = (stderr: string) =>
  stderr
    .split("\n")
    .filter((line) => /ERROR|FATAL|error|refused|no such/i.test(line))
    .slice(0, 2)
    .join(" ")
    .trim() ||
  stderr.trim().split("\n")[0] ||
  "no message";

/** The Compose project here, and that its db service is running. */
async function runningProject(compose: Compose): Promise<string> {
  const config = await compose(["config", "--format", "json"]);
  if (!config.ok) {
    throw new Refused(
      `\`docker compose config\` failed: ${firstError(config.stderr)}`,
      "start Docker (`npm run doctor` says what is wrong), and run this from the Stockroom repository",
    );
  }
  const project = String((JSON.parse(config.stdout) as { name?: unknown }).name);
  const db = await compose(["ps", "--status", "running", "--quiet", "db"]);
  if (!db.ok || db.stdout.trim() === "") {
    throw new Refused(
      `the db service of Compose project ${project} is not running`,
      "start it with `docker compose up -d --wait`, then run this again",
    );
  }
  return project;
}

export async function backup(machine: Machine, args: Arguments, out: Output): Promise<void> {
  const project = await runningProject(machine.compose);
  const target = resolve(machine.cwd, args.file ?? join(machine.repoDir, defaultBackupName(project, machine.now())));
  const shown = showPath(machine.cwd, target);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new Refused(
      `${shown} is a folder; nothing was written`,
      "name a file: npm run db:backup -- backups/visits.sql",
    );
  }
  if (existing && !args.force) {
    throw new Refused(
      `${shown} already exists (${formatBytes(existing.size)}, written ${utc(existing.mtime)}); nothing was written`,
      `name another file, or replace it: npm run db:backup -- ${shown} --force`,
    );
  }
  out.info(`Backing up the database of Compose project ${project} (service db) with pg_dump...`);
  await mkdir(dirname(target), { recursive: true });
  // Written beside it first and renamed once complete: a failed dump never
  // leaves half a file under the name, nor destroys the file --force replaces.
  const partial = `${target}.partial`;
  const dumped = await machine.compose(PG_DUMP, { stdoutTo: partial });
  let summary: DumpSummary;
  try {
    if (!dumped.ok) throw new Refused(`pg_dump failed: ${firstError(dumped.stderr)}`, "run it again");
    summary = await readDump(partial, shown);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  await rename(partial, target);
  out.info(`✔ Wrote ${shown} (${formatBytes(summary.bytes)}): ${describeContents(summary)}.`);
  out.info(`  To restore it: npm run db:restore -- ${shown}`);
}

export async function restore(machine: Machine, args: Arguments & { file: string }, out: Output): Promise<void> {
  const source = resolve(machine.cwd, args.file);
  const shown = showPath(machine.cwd, source);
  const nothing = "The database was not touched.";
  const inFile = await readDump(source, shown).catch((err: unknown) => {
    if (err instanceof NotADump) throw new Refused(`${err.message}. ${nothing}`, err.fix);
    throw err;
  });
  const project = await runningProject(machine.compose);

  const counted = await machine.compose([...PSQL, "-c", "SELECT count(*) FROM public.visits"]);
  // No visits table yet (the migrate service has not run): nothing to replace.
  const noTable = !counted.ok && /relation "public\.visits" does not exist/.test(counted.stderr);
  const held = noTable ? 0 : Number(counted.stdout.trim());
  if (!noTable && (!counted.ok || !Number.isSafeInteger(held))) {
    throw new Refused(`psql could not count the visits: ${firstError(counted.stderr)}. ${nothing}`, "run it again");
  }
  const theirs = held === 1 ? "1 visit" : `${held} visits`;
  if (held > 0 && !args.force) {
    throw new Refused(
      `the database of Compose project ${project} holds ${theirs}, and restoring ${shown} would replace ` +
        `${held === 1 ? "it" : "them"} with its ${describeContents(inFile)}. ${nothing}`,
      `to keep them, back them up first (npm run db:backup); to replace them: npm run db:restore -- ${shown} --force`,
    );
  }
  out.info(
    `Restoring ${shown}, which holds ${describeContents(inFile)}, into the database of Compose project ${project}` +
      `${held > 0 ? `, replacing its ${theirs}` : ""}...`,
  );
  const ran = await machine.compose([...PSQL, "-1", "-f", "-", "-c", WHAT_IT_HOLDS], { stdinFrom: source });
  if (!ran.ok) {
    throw new Refused(
      `psql stopped at an error, so the transaction was rolled back and nothing changed: ${firstError(ran.stderr)}`,
      "restore another backup (`ls backups`); `docker compose logs db` shows the database's side",
    );
  }
  const line = ran.stdout.split("\n").find((row) => row.startsWith(RESTORED)) ?? "";
  const [visits = 0, first = 0, last = 0, total = 0] = line.slice(RESTORED.length).split("|").map(Number);
  const now = describeContents({ visits, total, ...(visits > 0 ? { ids: { first, last } } : {}) });
  const same = now === describeContents(inFile) ? ", as in the file" : `; the file held ${describeContents(inFile)}`;
  out.info(`✔ Restored ${shown}: the database now holds ${now}${same}.`);
}

/** 2026-12-06 05:59:29 UTC */
const utc = (date: Date) => `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;

/** A path as the user would type it from where they are. */
function showPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** Runs a command and prints its outcome; returns the exit code. */
export async function main(command: Command, argv: string[], machine: Machine, out: Output): Promise<number> {
  const args = parseArguments(command, argv, machine.env);
  if (typeof args === "string") {
    out.error(`✘ ${args}`);
    out.error(USAGE[command]);
    return 2;
  }
  try {
    if (command === "backup") await backup(machine, args, out);
    else await restore(machine, { ...args, file: args.file ?? "" }, out);
    return 0;
  } catch (err) {
    const known = err instanceof Refused || err instanceof NotADump;
    out.error(known ? `✘ ${err.message}` : `✘ ${command} failed: ${(err as Error).message}`);
    out.error(`  What to do: ${known ? err.fix : "run it again; `docker compose ps` shows whether the stack is up"}`);
    return 1;
  }
}

// The real machine.

const composeIn =
  (dir: string): Compose =>
  (args, { stdinFrom, stdoutTo } = {}) =>
    new Promise((done) => {
      // Files are handed to docker as they are, so a large dump streams through.
      const stdin = stdinFrom ? openSync(stdinFrom, "r") : "ignore";
      const stdout = stdoutTo ? openSync(stdoutTo, "w") : "pipe";
      const child = spawn("docker", ["compose", ...args], { cwd: dir, stdio: [stdin, stdout, "pipe"] });
      let output = "";
      let errors = "";
      child.stdout?.on("data", (chunk) => (output += chunk));
      child.stderr?.on("data", (chunk) => (errors += chunk));
      let finished = false;
      const finish = (ran: Ran) => {
        if (finished) return;
        finished = true;
        for (const fd of [stdin, stdout]) if (typeof fd === "number") closeSync(fd);
        done(ran);
      };
      // "error" (docker not found) may be followed by "close": the first one counts.
      child.on("error", (err) => finish({ ok: false, stdout: output, stderr: `docker: ${err.message}` }));
      child.on("close", (code) => finish({ ok: code === 0, stdout: output.trim(), stderr: errors.trim() }));
    });

if (isEntryPoint(import.meta)) {
  const [command, ...argv] = process.argv.slice(2);
  if (command !== "backup" && command !== "restore") {
    console.error(`${USAGE.backup}\n${USAGE.restore}`);
    process.exitCode = 2;
  } else {
    const repoDir = fileURLToPath(new URL("..", import.meta.url));
    // npm runs scripts in the repo root, and says where it was called from in INIT_CWD.
    const { INIT_CWD } = process.env;
    const machine: Machine = {
      compose: composeIn(repoDir),
      env: process.env,
      cwd: INIT_CWD ?? process.cwd(),
      repoDir,
      now: () => new Date(),
    };
    process.exitCode = await main(command, argv, machine, { info: console.log, error: console.error });
  }
}
