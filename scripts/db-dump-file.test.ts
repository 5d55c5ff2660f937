import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeContents, formatBytes, readDump } from "./db-dump-file.ts";

// What `npm run db:restore` reads before it touches the database. The
// fixture is what pg_dump 17 wrote for a stack with three page loads
// (`npm run db:backup`): its visit_totals rows are out of id order, as
// Postgres stores rows that were updated.
const DUMP = readFileSync(new URL("./fixtures/stockroom-dump.sql", import.meta.url), "utf8");
const dir = mkdtempSync(join(tmpdir(), "stockroom-dump-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileWith(text: string): string {
  const path = join(mkdtempSync(join(dir, "dump-")), "backup.sql");
  writeFileSync(path, text);
  return path;
}
/** The dump up to (not including) the first line that starts with `marker`. */
const cutBefore = (marker: string) => DUMP.slice(0, DUMP.indexOf(`\n${marker}`) + 1);

describe("readDump", () => {
  it("reads a complete backup: its visits, their ids and the total summed over the counter rows", async () => {
    const summary = await readDump(fileWith(DUMP));
    expect(summary).toEqual({ bytes: Buffer.byteLength(DUMP), visits: 3, ids: { first: 1, last: 3 }, total: 3 });
  });

  it("takes the lowest and highest id, whatever order the rows are in", async () => {
    const shuffled = DUMP.replace(/^1\t(.*)\n2\t(.*)\n/m, "2\t$2\n1\t$1\n");
    expect((await readDump(fileWith(shuffled))).ids).toEqual({ first: 1, last: 3 });
  });

  it("reads a backup of a database with no visits yet", async () => {
    const empty = DUMP.replace(/^\d+\t2026-.*\n/gm, "").replace(/^(\d+)\t1$/gm, "$1\t0");
    expect(await readDump(fileWith(empty))).toMatchObject({ visits: 0, total: 0 });
    expect(await readDump(fileWith(empty))).not.toHaveProperty("ids");
  });

  it("reads a backup whose lines a Windows editor ended with CRLF", async () => {
    expect(await readDump(fileWith(DUMP.replace(/\n/g, "\r\n")))).toMatchObject({ visits: 3, total: 3 });
  });

  it("refuses a file cut short inside the visits' rows, naming the line it stops at", async () => {
    const cut = DUMP.slice(0, DUMP.indexOf("2\t2026-"));
    await expect(readDump(fileWith(cut), "backups/cut.sql")).rejects.toThrow(
      'backups/cut.sql is incomplete: it stops at line 97 inside the rows of public.visits, before pg_dump\'s last line "-- PostgreSQL database dump complete"',
    );
  });

  it("refuses a file cut short between two statements, where psql alone would see nothing wrong", async () => {
    await expect(readDump(fileWith(cutBefore("CREATE TABLE public.visits")))).rejects.toThrow(/is incomplete/);
    await expect(readDump(fileWith(cutBefore("-- PostgreSQL database dump complete")))).rejects.toThrow(
      /is incomplete/,
    );
  });

  it("refuses a file with anything but blank lines and psql's \\unrestrict after pg_dump's last line", async () => {
    await expect(readDump(fileWith(`${DUMP}DROP TABLE public.visits;\n`))).rejects.toThrow(/is incomplete/);
    expect(await readDump(fileWith(DUMP.replace(/^\\unrestrict .*$/m, "")))).toMatchObject({ visits: 3 });
  });

  it("refuses an empty file, a text file and pg_dump's custom format, which it does not read", async () => {
    for (const text of ["", "visits,total\n1,1\n", "PGDMP\u0001\u000e\u0000binary"]) {
      await expect(readDump(fileWith(text), "backups/x")).rejects.toThrow(
        'backups/x is not a backup made by pg_dump: its first lines are not "-- PostgreSQL database dump"',
      );
    }
  });

  it("refuses a complete dump of another database, which holds no visits", async () => {
    const other = DUMP.replace(/^COPY public\.visits /m, "COPY public.orders ");
    await expect(readDump(fileWith(other), "backups/shop.sql")).rejects.toThrow(
      "backups/shop.sql is a complete pg_dump file, but not of Stockroom's database",
    );
  });

  it("says so when the file is missing or is a folder, and what to do", async () => {
    await expect(readDump(join(dir, "nope.sql"), "backups/nope.sql")).rejects.toMatchObject({
      message: "backups/nope.sql: no such file",
      fix: "`ls backups` lists the backups there are",
    });
    await expect(readDump(dir, "backups")).rejects.toThrow("backups is a folder, not a file");
  });
});

describe("describeContents and formatBytes", () => {
  it("say what a backup holds in words", () => {
    expect(describeContents({ visits: 3, ids: { first: 1, last: 3 }, total: 3 })).toBe(
      "3 visits (ids 1 to 3), total 3",
    );
    expect(describeContents({ visits: 1, ids: { first: 7, last: 7 }, total: 9 })).toBe("1 visit (id 7), total 9");
    expect(describeContents({ visits: 0, total: 0 })).toBe("0 visits, total 0");
    expect([812, 2742, 1_300_000, 4.2e9].map(formatBytes)).toEqual(["812 B", "2.7 kB", "1.3 MB", "4.2 GB"]);
  });
});
