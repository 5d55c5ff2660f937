import { describeError } from "@stockroom/http-kit";
import type { Pool } from "pg";
import { COUNTER_SLOTS } from "./schema.js";

/** Postgres's SQLSTATE for "relation does not exist". */
const UNDEFINED_TABLE = "42P01";

/**
 * A query against Postgres failed: the server is down, unreachable, refusing
 * us, or the schema is not in place. Routes answer 503 for it. The original
 * error is kept as `cause`.
 */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  /**
   * The tables are gone: the database was recreated (e.g. without its volume)
   * while the webapp kept running. Setting the schema up again fixes it.
   */
  readonly schemaMissing: boolean;

  constructor(cause: unknown, options: { message?: string; schemaMissing?: boolean } = {}) {
    super(options.message ?? `database unavailable: ${describeError(cause)}`, { cause });
    this.schemaMissing = options.schemaMissing ?? (cause as { code?: unknown } | undefined)?.code === UNDEFINED_TABLE;
  }
}

export interface Visit {
  id: number;
  visitedAt: Date;
}

/** What a page load shows: its own visit, the running total with it, and the latest visits. */
export interface RecordedVisit {
  visit: Visit;
  total: number;
  /** Newest first, this visit included: MAX_RECENT_VISITS of them (fewer while the table is smaller). */
  recentVisits: Visit[];
}

export interface VisitStore {
  /** Adds one visit, bumps the running total and reads the latest visits, in one statement. */
  recordVisit(): Promise<RecordedVisit>;
  /** The most recent visits, newest first; `limit` defaults to and is capped at 50. */
  listRecentVisits(limit?: number): Promise<Visit[]>;
  /** The running total (no count(*) over the table). */
  countVisits(): Promise<number>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
}

export const MAX_RECENT_VISITS = 50;

// One statement, so one round trip, per page load. Both data-modifying CTEs
// run exactly once whatever the outer SELECT does, so the new row and the
// counter always move together. $1 is the counter slot this visit bumps
// (schema.ts); the other slots are read as of the statement's start. The
// recent visits come from the same snapshot, which cannot see the new row
// (a statement never sees its own inserts), so the new row is added to them:
// its id is higher than any visible one, as it was drawn after the snapshot.
// Exported for bench/stack/throughput.ts, whose pgbench runs this statement.
export const RECORD_VISIT = `
  WITH new_visit AS (
    INSERT INTO visits DEFAULT VALUES RETURNING id, visited_at
  ), bumped AS (
    UPDATE visit_totals SET total = total + 1 WHERE id = $1 RETURNING total
  ), earlier AS (
    SELECT id, visited_at FROM visits ORDER BY id DESC LIMIT ${MAX_RECENT_VISITS}
  )
  SELECT recent.id, recent.visited_at, recent.mine,
    bumped.total + (SELECT coalesce(sum(total), 0) FROM visit_totals WHERE id <> $1) AS total
  FROM bumped, (
    SELECT id, visited_at, true AS mine FROM new_visit
    UNION ALL SELECT id, visited_at, false FROM earlier
  ) AS recent
  ORDER BY recent.id DESC
  LIMIT ${MAX_RECENT_VISITS}`;

// The primary-key index serves ORDER BY id DESC LIMIT n without a sort.
const RECENT_VISITS = "SELECT id, visited_at FROM visits ORDER BY id DESC LIMIT $1";

const TOTAL = "SELECT sum(total) AS total FROM visit_totals";

interface VisitRow {
  id: string;
  visited_at: Date;
}

/** pg returns bigint as a string (it may not fit a JS number); ours always do. */
function toNumber(value: unknown, column: string): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`column ${column} is not a safe integer: ${String(value)}`);
  return n;
}

function toVisit(row: VisitRow): Visit {
  return { id: toNumber(row.id, "visits.id"), visitedAt: row.visited_at };
}

function clampLimit(limit: number): number {
  if (!Number.isFinite(limit)) return MAX_RECENT_VISITS;
  return Math.min(Math.max(Math.trunc(limit), 0), MAX_RECENT_VISITS);
}

const schemaMissing = () =>
  new DatabaseUnavailableError(undefined, {
    message: "database unavailable: the visit_totals rows are missing (schema not ready)",
    schemaMissing: true,
  });

/** Runs `work`; any failure becomes a DatabaseUnavailableError (already-wrapped ones pass through). */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw err instanceof DatabaseUnavailableError ? err : new DatabaseUnavailableError(err);
  }
}

/**
 * The visit counter, over the tables ensureSchema creates. The statements are
 * named, so each pooled connection parses and plans them once.
 */
export function createVisitStore(pool: Pool): VisitStore {
  // Successive visits bump successive slots; a random start keeps two webapp
  // replicas from bumping the same slots in step.
  let nextSlot = Math.floor(Math.random() * COUNTER_SLOTS);
  return {
    recordVisit: () =>
      guarded(async () => {
        const slot = (nextSlot++ % COUNTER_SLOTS) + 1;
        const { rows } = await pool.query<VisitRow & { mine: boolean; total: string }>({
          name: "record-visit",
          text: RECORD_VISIT,
          values: [slot],
        });
        const mine = rows.find((row) => row.mine);
        if (!mine) throw schemaMissing();
        return {
          visit: toVisit(mine),
          total: toNumber(mine.total, "visit_totals.total"),
          recentVisits: rows.map(toVisit),
        };
      }),

    listRecentVisits: (limit = MAX_RECENT_VISITS) =>
      guarded(async () => {
        const { rows } = await pool.query<VisitRow>({
          name: "recent-visits",
          text: RECENT_VISITS,
          values: [clampLimit(limit)],
        });
        return rows.map(toVisit);
      }),

    countVisits: () =>
      guarded(async () => {
        const { rows } = await pool.query<{ total: string | null }>({ name: "count-visits", text: TOTAL });
        const total = rows[0]?.total;
        if (total === null || total === undefined) throw schemaMissing();
        return toNumber(total, "visit_totals.total");
      }),

    ping: () =>
      guarded(async () => {
        await pool.query("SELECT 1");
      }),
  };
}
