import { describeError } from "@stockroom/http-kit";
import type { Pool } from "pg";

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

export interface VisitStore {
  /** Adds one visit and bumps the running total, in one statement. */
  recordVisit(): Promise<{ visit: Visit; total: number }>;
  /** The most recent visits, newest first; `limit` defaults to and is capped at 50. */
  listRecentVisits(limit?: number): Promise<Visit[]>;
  /** The running total (no count(*) over the table). */
  countVisits(): Promise<number>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
}

export const MAX_RECENT_VISITS = 50;

// Both data-modifying CTEs run exactly once whatever the outer SELECT does,
// so the new row and the counter always move together.
const RECORD_VISIT = `
  WITH new_visit AS (
    INSERT INTO visits DEFAULT VALUES RETURNING id, visited_at
  ), bumped AS (
    UPDATE visit_totals SET total = total + 1 WHERE id = 1 RETURNING total
  )
  SELECT new_visit.id, new_visit.visited_at, bumped.total
  FROM new_visit, bumped`;

// The primary-key index serves ORDER BY id DESC LIMIT n without a sort.
const RECENT_VISITS = "SELECT id, visited_at FROM visits ORDER BY id DESC LIMIT $1";

const TOTAL = "SELECT total FROM visit_totals WHERE id = 1";

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
    message: "database unavailable: the visit_totals row is missing (schema not ready)",
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

/** The visit counter, over the tables ensureSchema creates. */
export function createVisitStore(pool: Pool): VisitStore {
  return {
    recordVisit: () =>
      guarded(async () => {
        const { rows } = await pool.query<VisitRow & { total: string }>(RECORD_VISIT);
        const row = rows[0];
        if (!row) throw schemaMissing();
        return { visit: toVisit(row), total: toNumber(row.total, "visit_totals.total") };
      }),

    listRecentVisits: (limit = MAX_RECENT_VISITS) =>
      guarded(async () => {
        const { rows } = await pool.query<VisitRow>(RECENT_VISITS, [clampLimit(limit)]);
        return rows.map(toVisit);
      }),

    countVisits: () =>
      guarded(async () => {
        const { rows } = await pool.query<{ total: string }>(TOTAL);
        const row = rows[0];
        if (!row) throw schemaMissing();
        return toNumber(row.total, "visit_totals.total");
      }),

    ping: () =>
      guarded(async () => {
        await pool.query("SELECT 1");
      }),
  };
}
