import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { loadPage, totalVisitsOn } from "../support/page.js";
import { repoRoot } from "../support/repo.js";
import type { Stack } from "../support/stack.js";
import { compose, removeStack, startStack, uniqueProject } from "../support/stack.js";

// npm run db:backup and db:restore (scripts/db-backup.ts, lesson 7) against
// the real stack, pointed at this test's Compose project the way a learner
// points `docker compose` at one: COMPOSE_PROJECT_NAME. One stack, brought
// back empty by `down -v` halfway through.
describe("npm run db:backup and db:restore", () => {
  const label = "backup-restore";
  const project = uniqueProject(label);
  const dir = mkdtempSync(join(tmpdir(), "stockroom-backup-restore-"));
  const backupFile = join(dir, "visits.sql");
  let stack: Stack | undefined;

  afterAll(async () => {
    await removeStack(stack);
    rmSync(dir, { recursive: true, force: true });
  });

  /** What a learner types, with the output they see (stdout and stderr together). */
  const npmRun = (script: string, args: string[]) =>
    execa("npm", ["run", "--silent", script, "--", ...args], {
      cwd: repoRoot,
      env: { COMPOSE_PROJECT_NAME: project },
      all: true,
      reject: false,
    });

  const psql = async (query: string) => {
    if (!stack) throw new Error("no stack");
    const args = ["exec", "-T", "db", "psql", "-U", "stockroom", "-d", "stockroom", "-X", "-A", "-t", "-c", query];
    return (await compose(stack, args)).stdout.trim();
  };
  /** Every visit with its id and time, and the running total, as Postgres holds them. */
  const databaseNow = async () => ({
    visits: await psql("SELECT id, visited_at FROM visits ORDER BY id"),
    total: await psql("SELECT sum(total) FROM visit_totals"),
  });

  it("brings back every visit with its id and time, and the exact total, after down -v", async () => {
    stack = await startStack({ label, project });
    for (let visit = 0; visit < 5; visit++) expect((await loadPage(stack.webappUrl)).status).toBe(200);
    const before = await databaseNow();
    expect(before.visits.split("\n")).toHaveLength(5);
    expect(before.total).toBe("5");

    const backup = await npmRun("db:backup", [backupFile]);
    expect(backup.all).toContain(`✔ Wrote ${backupFile} (`);
    expect(backup.all).toContain("): 5 visits (ids 1 to 5), total 5.");
    expect(backup.exitCode).toBe(0);

    // What a learner types: the volume goes, and `up` starts on an empty database.
    await compose(stack, ["down", "-v"]);
    await compose(stack, ["up", "-d", "--wait"]);
    const { stdout: published } = await compose(stack, ["port", "webapp", "5000"]);
    const webappUrl = `http://127.0.0.1:${published.trim().split(":").at(-1)}`;
    expect(await databaseNow()).toEqual({ visits: "", total: "0" });

    const restore = await npmRun("db:restore", [backupFile]);
    expect(restore.all).toContain(
      `✔ Restored ${backupFile}: the database now holds 5 visits (ids 1 to 5), total 5, as in the file.`,
    );
    expect(restore.exitCode).toBe(0);
    expect(await databaseNow()).toEqual(before);

    // The page counts on from there: the identity sequence came back too, so no id is handed out twice.
    const page = await loadPage(webappUrl);
    expect(totalVisitsOn(page.html)).toBe(6);
    expect(await psql("SELECT max(id) FROM visits")).toBe("6");
  });

  it("refuses to replace visits without --force, and a missing, cut-short or broken file even with it, changing nothing", async () => {
    if (!stack) throw new Error("the test above starts the stack");
    const now = await databaseNow();
    expect(now.total).toBe("6");
    const dump = readFileSync(backupFile, "utf8");
    const truncated = join(dir, "truncated.sql");
    writeFileSync(truncated, dump.slice(0, Math.floor(dump.length / 2)));
    // Complete to its last line, but one visit's time is not a time: psql fails halfway, in the transaction.
    const broken = join(dir, "broken.sql");
    writeFileSync(broken, dump.replace(/^3\t[^\n]+$/m, "3\tnot-a-time"));

    const attempts = [
      [
        [backupFile],
        `✘ the database of Compose project ${project} holds 6 visits, and restoring ${backupFile} would replace them`,
      ],
      [
        [join(dir, "missing.sql"), "--force"],
        `✘ ${join(dir, "missing.sql")}: no such file. The database was not touched.`,
      ],
      [[truncated, "--force"], `✘ ${truncated} is incomplete: it stops at line `],
      [[broken, "--force"], "✘ psql stopped at an error, so the transaction was rolled back and nothing changed: "],
    ] as const;
    for (const [args, message] of attempts) {
      const refused = await npmRun("db:restore", [...args]);
      expect(refused.all, args.join(" ")).toContain(message);
      expect(refused.all).toMatch(/\n {2}What to do: \S/);
      expect(refused.exitCode).toBe(1);
      expect(await databaseNow()).toEqual(now);
    }
  });
});
