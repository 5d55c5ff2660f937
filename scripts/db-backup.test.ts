import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Compose, Machine } from "./db-backup.ts";
import { defaultBackupName, main, parseArguments } from "./db-backup.ts";

// npm run db:backup and db:restore against a fake `docker compose`: each
// test sets up the stack's state, runs one command, and checks what it
// printed, what it left on disk and which commands reached the database.
// test/db/backup-restore.int.test.ts runs them against a real stack.
const DUMP = readFileSync(new URL("./fixtures/stockroom-dump.sql", import.meta.url), "utf8");
const root = mkdtempSync(join(tmpdir(), "stockroom-db-backup-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Stack {
  project?: string;
  dbRunning?: boolean;
  /** Visits the database holds now; "no table" before the migrate service ran. */
  visits?: number | "no table" | "starting up";
  pgDumpError?: string;
  psqlError?: string;
  /** What psql's closing query reports, as `restored|visits|first id|last id|total`. */
  restored?: string;
}

function fakeMachine(stack: Stack = {}) {
  const repoDir = mkdtempSync(join(root, "repo-"));
  const calls: string[] = [];
  const restoredFrom: string[] = [];
  const compose: Compose = async (args, files = {}) => {
    const command = args.join(" ");
    calls.push(command);
    const ok = (stdout = "") => ({ ok: true, stdout, stderr: "" });
    const failed = (stderr: string) => ({ ok: false, stdout: "", stderr });
    if (command === "config --format json") return ok(JSON.stringify({ name: stack.project ?? "stockroom" }));
    if (command === "ps --status running --quiet db") return ok(stack.dbRunning === false ? "" : "3f2a9c");
    if (args.includes("pg_dump")) {
      if (files.stdoutTo) writeFileSync(files.stdoutTo, stack.pgDumpError ? DUMP.slice(0, 500) : DUMP);
      return stack.pgDumpError ? failed(stack.pgDumpError) : ok();
    }
    if (command.endsWith("-c SELECT count(*) FROM public.visits")) {
      const visits = stack.visits ?? 0;
      if (visits === "starting up") {
        return failed(
          'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  the database system is starting up',
        );
      }
      return visits === "no table"
        ? failed('ERROR:  relation "public.visits" does not exist\nLINE 1: SELECT count(*) FROM public.visits')
        : ok(String(visits));
    }
    if (args.includes("-1")) {
      restoredFrom.push(readFileSync(files.stdinFrom ?? "", "utf8"));
      return stack.psqlError ? failed(stack.psqlError) : ok(`\n3\n${stack.restored ?? "restored|3|1|3|3"}`);
    }
    throw new Error(`unexpected command: docker compose ${command}`);
  };
  const machine: Machine = {
    compose,
    env: {},
    cwd: repoDir,
    repoDir,
    now: () => new Date("2026-12-06T05:59:29.864Z"),
  };
  return { machine, calls, restoredFrom, repoDir };
}

async function run(command: "backup" | "restore", argv: string[], machine: Machine) {
  const lines: string[] = [];
  const exitCode = await main(command, argv, machine, {
    info: (line) => lines.push(line),
    error: (line) => lines.push(line),
  });
  return { exitCode, lines };
}

const touchesTheDatabase = (calls: string[]) => calls.some((call) => call.includes("psql") && call.includes("-1"));

describe("arguments", () => {
  it("take one file and --force, also when npm kept --force for itself (npm_config_force)", () => {
    expect(parseArguments("backup", [], {})).toEqual({ force: false });
    expect(parseArguments("restore", ["backups/a.sql", "--force"], {})).toEqual({ file: "backups/a.sql", force: true });
    expect(parseArguments("restore", ["backups/a.sql"], { npm_config_force: "true" })).toEqual({
      file: "backups/a.sql",
      force: true,
    });
  });

  it("name backups after the project and the time, in UTC, with no colon", () => {
    expect(defaultBackupName("stockroom", new Date("2026-12-06T05:59:29.864Z"))).toBe(
      join("backups", "stockroom-20261206T055929Z.sql"),
    );
  });

  it.each([
    ["restore", [], "✘ name the backup file to restore", "usage: npm run db:restore -- FILE [--force]"],
    ["backup", ["a.sql", "b.sql"], "✘ one file at a time, not 2", "usage: npm run db:backup [-- FILE] [--force]"],
    ["restore", ["a.sql", "-f"], "✘ unknown option -f", "usage: npm run db:restore -- FILE [--force]"],
  ] as const)("%s %j: exit 2 with the usage, before running anything", async (command, argv, problem, usage) => {
    const { machine, calls } = fakeMachine();
    const { exitCode, lines } = await run(command, [...argv], machine);
    expect(exitCode).toBe(2);
    expect(lines[0]).toBe(problem);
    expect(lines[1]).toMatch(usage);
    expect(calls).toEqual([]);
  });
});

describe("npm run db:backup", () => {
  it("writes pg_dump's output to backups/<project>-<time>.sql and says what it holds", async () => {
    const { machine, calls, repoDir } = fakeMachine({ project: "stockroom-h10" });
    const { exitCode, lines } = await run("backup", [], machine);
    expect(exitCode).toBe(0);
    expect(lines).toEqual([
      "Backing up the database of Compose project stockroom-h10 (service db) with pg_dump...",
      "✔ Wrote backups/stockroom-h10-20261206T055929Z.sql (2.7 kB): 3 visits (ids 1 to 3), total 3.",
      "  To restore it: npm run db:restore -- backups/stockroom-h10-20261206T055929Z.sql",
    ]);
    expect(readFileSync(join(repoDir, "backups/stockroom-h10-20261206T055929Z.sql"), "utf8")).toBe(DUMP);
    expect(calls).toContain("exec -T db pg_dump -U stockroom -d stockroom --clean --if-exists");
  });

  it("refuses to replace an existing file without --force, and leaves it as it was", async () => {
    const { machine, calls, repoDir } = fakeMachine();
    writeFileSync(join(repoDir, "visits.sql"), "yesterday's backup");
    const { exitCode, lines } = await run("backup", ["visits.sql"], machine);
    expect(exitCode).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^✘ visits\.sql already exists \(18 B, written .* UTC\); nothing was written$/),
      "  What to do: name another file, or replace it: npm run db:backup -- visits.sql --force",
    ]);
    expect(readFileSync(join(repoDir, "visits.sql"), "utf8")).toBe("yesterday's backup");
    expect(calls.some((call) => call.includes("pg_dump"))).toBe(false);
  });

  it("replaces it with --force", async () => {
    const { machine, repoDir } = fakeMachine();
    writeFileSync(join(repoDir, "visits.sql"), "yesterday's backup");
    expect((await run("backup", ["visits.sql", "--force"], machine)).exitCode).toBe(0);
    expect(readFileSync(join(repoDir, "visits.sql"), "utf8")).toBe(DUMP);
  });

  it("when pg_dump fails, leaves no file behind, nor a half-written one, and keeps the one --force would replace", async () => {
    const { machine, repoDir } = fakeMachine({
      pgDumpError: "pg_dump: error: connection to server failed: FATAL:  the database system is shutting down",
    });
    writeFileSync(join(repoDir, "visits.sql"), "yesterday's backup");
    const { exitCode, lines } = await run("backup", ["visits.sql", "--force"], machine);
    expect(exitCode).toBe(1);
    expect(lines.at(-2)).toBe(
      "✘ pg_dump failed: pg_dump: error: connection to server failed: FATAL:  the database system is shutting down",
    );
    expect(readdirSync(repoDir)).toEqual(["visits.sql"]);
    expect(readFileSync(join(repoDir, "visits.sql"), "utf8")).toBe("yesterday's backup");
  });

  it("says to start the stack when the db service is not running", async () => {
    const { machine, repoDir } = fakeMachine({ dbRunning: false });
    const { exitCode, lines } = await run("backup", [], machine);
    expect(exitCode).toBe(1);
    expect(lines).toEqual([
      "✘ the db service of Compose project stockroom is not running",
      "  What to do: start it with `docker compose up -d --wait`, then run this again",
    ]);
    expect(existsSync(join(repoDir, "backups"))).toBe(false);
  });
});

describe("npm run db:restore", () => {
  const backupIn = (repoDir: string, text = DUMP) => {
    mkdirSync(join(repoDir, "backups"), { recursive: true });
    writeFileSync(join(repoDir, "backups/visits.sql"), text);
    return "backups/visits.sql";
  };

  it("restores into an empty database in one transaction that stops at the first error, and says what it holds now", async () => {
    const { machine, calls, restoredFrom, repoDir } = fakeMachine();
    const { exitCode, lines } = await run("restore", [backupIn(repoDir)], machine);
    expect(exitCode).toBe(0);
    expect(lines).toEqual([
      "Restoring backups/visits.sql, which holds 3 visits (ids 1 to 3), total 3, into the database of Compose project stockroom...",
      "✔ Restored backups/visits.sql: the database now holds 3 visits (ids 1 to 3), total 3, as in the file.",
    ]);
    const restore = calls.find((call) => call.includes(" -1 "));
    expect(restore).toMatch(/^exec -T db psql -U stockroom -d stockroom .*-v ON_ERROR_STOP=1 -1 -f - -c SELECT /);
    expect(restoredFrom).toEqual([DUMP]);
  });

  it("restores into a database whose tables do not exist yet", async () => {
    const { machine, repoDir } = fakeMachine({ visits: "no table" });
    expect((await run("restore", [backupIn(repoDir)], machine)).exitCode).toBe(0);
  });

  it("refuses to go on when it cannot count the visits it would replace", async () => {
    const { machine, calls, repoDir } = fakeMachine({ visits: "starting up" });
    const { exitCode, lines } = await run("restore", [backupIn(repoDir), "--force"], machine);
    expect(exitCode).toBe(1);
    expect(lines[0]).toMatch(
      /^✘ psql could not count the visits: .*the database system is starting up\. The database was not touched\.$/,
    );
    expect(touchesTheDatabase(calls)).toBe(false);
  });

  it("refuses to replace visits without --force, and says how many", async () => {
    const { machine, calls, repoDir } = fakeMachine({ visits: 7 });
    const { exitCode, lines } = await run("restore", [backupIn(repoDir)], machine);
    expect(exitCode).toBe(1);
    expect(lines).toEqual([
      "✘ the database of Compose project stockroom holds 7 visits, and restoring backups/visits.sql would replace them " +
        "with its 3 visits (ids 1 to 3), total 3. The database was not touched.",
      "  What to do: to keep them, back them up first (npm run db:backup); " +
        "to replace them: npm run db:restore -- backups/visits.sql --force",
    ]);
    expect(touchesTheDatabase(calls)).toBe(false);
  });

  it("replaces them with --force, and says it did", async () => {
    const { machine, repoDir } = fakeMachine({ visits: 1 });
    const { exitCode, lines } = await run("restore", [backupIn(repoDir), "--force"], machine);
    expect(exitCode).toBe(0);
    expect(lines[0]).toMatch(/, into the database of Compose project stockroom, replacing its 1 visit\.\.\.$/);
  });

  it.each([
    ["a missing file", undefined, "✘ backups/visits.sql: no such file. The database was not touched."],
    [
      "a file cut short",
      DUMP.slice(0, DUMP.indexOf("3\t2026-")),
      "✘ backups/visits.sql is incomplete: it stops at line 98 inside the rows of public.visits, before pg_dump's " +
        'last line "-- PostgreSQL database dump complete" (was it cut short while being written or copied?). ' +
        "The database was not touched.",
    ],
    [
      "an empty file",
      "",
      '✘ backups/visits.sql is not a backup made by pg_dump: its first lines are not "-- PostgreSQL database dump"',
    ],
  ])("refuses %s, even with --force, before it runs anything", async (_, text, problem) => {
    const { machine, calls, repoDir } = fakeMachine({ visits: 5 });
    if (text !== undefined) backupIn(repoDir, text);
    else mkdirSync(join(repoDir, "backups"));
    const { exitCode, lines } = await run("restore", ["backups/visits.sql", "--force"], machine);
    expect(exitCode).toBe(1);
    expect(lines[0]?.startsWith(problem)).toBe(true);
    expect(lines[1]).toMatch(/^ {2}What to do: /);
    expect(calls).toEqual([]);
  });

  it("when psql stops at an error, says that the transaction was rolled back and nothing changed", async () => {
    const { machine, repoDir } = fakeMachine({
      psqlError:
        'psql:<stdin>:100: ERROR:  invalid input syntax for type timestamp with time zone: "x"\n' +
        'CONTEXT:  COPY visits, line 2, column visited_at: "x"',
    });
    const { exitCode, lines } = await run("restore", [backupIn(repoDir)], machine);
    expect(exitCode).toBe(1);
    expect(lines.at(-2)).toBe(
      "✘ psql stopped at an error, so the transaction was rolled back and nothing changed: " +
        'psql:<stdin>:100: ERROR:  invalid input syntax for type timestamp with time zone: "x"',
    );
  });

  it("reads FILE from the folder npm was run from", async () => {
    const { machine, repoDir } = fakeMachine();
    backupIn(repoDir);
    const { exitCode, lines } = await run("restore", ["../backups/visits.sql"], {
      ...machine,
      cwd: join(repoDir, "apps"),
    });
    expect(exitCode).toBe(0);
    expect(lines[1]).toMatch(/^✔ Restored .*\/backups\/visits\.sql: /);
  });
});
