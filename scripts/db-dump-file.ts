// What a backup file holds, read on this machine before anything touches the
// database: `npm run db:restore` refuses a file that is missing, cut short or
// not a backup of Stockroom's database, and `npm run db:backup` reports what
// it wrote. The files are pg_dump's plain SQL (scripts/db-backup.ts says why),
// so they are read line by line, like a person would read them:
//
//   --
//   -- PostgreSQL database dump                  <- the first lines
//   ...
//   COPY public.visits (id, visited_at) FROM stdin;
//   1	2026-12-06 05:57:14.587894+00                <- one line per row, tab-separated
//   \.
//   ...
//   -- PostgreSQL database dump complete         <- pg_dump's last words
//
// pg_dump writes the file from top to bottom, so a file whose end says
// "dump complete" has everything before it too.
//
// Plain Node.js, no dependencies, like the other scripts.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";

export interface DumpSummary {
  bytes: number;
  visits: number;
  /** The lowest and highest visit id, when there are visits. */
  ids?: { first: number; last: number };
  /** The running total: the sum of visit_totals' rows. */
  total: number;
}

/** The file cannot be restored: `problem` says why, `fix` what to do. */
export class NotADump extends Error {
  readonly fix: string;
  constructor(problem: string, fix: string) {
    super(problem);
    this.fix = fix;
  }
}

const HEADER = "-- PostgreSQL database dump";
const TRAILER = "-- PostgreSQL database dump complete";
const VISITS = "public.visits";
const TOTALS = "public.visit_totals";
/** What may follow the trailer: blank lines, comment dashes, and psql's `\unrestrict <key>` (17.6 on). */
const AFTER_TRAILER = /^(--|\\unrestrict \S+)?$/;

const MAKE_A_NEW_ONE = "restore another backup (`ls backups`), or make a new one with `npm run db:backup`";

/** One line in words: "5 visits (ids 1 to 5), total 5". */
export function describeContents({ visits, ids, total }: Pick<DumpSummary, "visits" | "ids" | "total">): string {
  const rows = visits === 1 ? "1 visit" : `${visits} visits`;
  const range = ids ? (ids.first === ids.last ? ` (id ${ids.first})` : ` (ids ${ids.first} to ${ids.last})`) : "";
  return `${rows}${range}, total ${total}`;
}

/** "812 B", "5.2 kB", "1.3 MB": the size `ls -lh` would round to, in SI units. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const [value, unit] = bytes < 1e6 ? [bytes / 1e3, "kB"] : bytes < 1e9 ? [bytes / 1e6, "MB"] : [bytes / 1e9, "GB"];
  return `${value.toFixed(1)} ${unit}`;
}

/**
 * Reads a backup file and says what it holds; throws NotADump when it is
 * missing, is not pg_dump's plain SQL, was cut short, or holds no visits table.
 */
export async function readDump(path: string, shown = path): Promise<DumpSummary> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") throw new NotADump(`${shown}: no such file`, "`ls backups` lists the backups there are");
    throw new NotADump(`${shown}: cannot read it (${err.code ?? err.message})`, "check the path and its permissions");
  });
  if (!info.isFile()) throw new NotADump(`${shown} is a folder, not a file`, "name a file in it (`ls backups`)");

  const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
  let index = 0;
  let header = false;
  let copying: string | undefined;
  let trailerAt = -1;
  let afterTrailerOk = true;
  const tables = new Set<string>();
  let visits = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let total = 0;
  for await (const line of lines) {
    index += 1;
    if (index === 2) header = line === HEADER;
    if (copying !== undefined) {
      if (line === "\\.") copying = undefined;
      else if (copying === VISITS) {
        const id = Number(line.slice(0, line.indexOf("\t")));
        visits += 1;
        first = Math.min(first, id);
        last = Math.max(last, id);
      } else if (copying === TOTALS) total += Number(line.split("\t")[1]);
      continue;
    }
    const copy = /^COPY (\S+) .*FROM stdin;$/.exec(line);
    if (copy?.[1]) {
      copying = copy[1];
      tables.add(copying);
    } else if (line === TRAILER) {
      trailerAt = index;
      afterTrailerOk = true;
    } else if (trailerAt !== -1 && !AFTER_TRAILER.test(line)) afterTrailerOk = false;
  }

  if (!header) {
    throw new NotADump(
      `${shown} is not a backup made by pg_dump: its first lines are not "${HEADER}" ` +
        "(npm run db:backup writes plain SQL; pg_dump's custom format and compressed files are not read here)",
      MAKE_A_NEW_ONE,
    );
  }
  if (copying !== undefined || trailerAt === -1 || !afterTrailerOk) {
    throw new NotADump(
      `${shown} is incomplete: it stops at line ${index}${copying ? ` inside the rows of ${copying}` : ""}, ` +
        `before pg_dump's last line "${TRAILER}" (was it cut short while being written or copied?)`,
      MAKE_A_NEW_ONE,
    );
  }
  if (!tables.has(VISITS) || !tables.has(TOTALS)) {
    throw new NotADump(
      `${shown} is a complete pg_dump file, but not of Stockroom's database: it holds no rows of ${VISITS} and ${TOTALS}`,
      "restore a file that `npm run db:backup` wrote",
    );
  }
  return { bytes: info.size, visits, ...(visits > 0 ? { ids: { first, last } } : {}), total };
}
