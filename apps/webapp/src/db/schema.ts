import type { Pool } from "pg";

/**
 * Any constant works, as long as nothing else in this database takes the
 * same advisory lock. It serialises schema set-up when two webapp replicas
 * start at once (CREATE TABLE IF NOT EXISTS alone can still collide).
 */
export const SCHEMA_LOCK_KEY = 0x5700_0001;

const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS visits (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     visited_at timestamptz NOT NULL DEFAULT now()
   )`,
  // One row holding the running total, so the page never counts a big table.
  `CREATE TABLE IF NOT EXISTS visit_totals (
     id smallint PRIMARY KEY CHECK (id = 1),
     total bigint NOT NULL
   )`,
  // Seeded once from whatever visits already exist; a no-op afterwards.
  `INSERT INTO visit_totals (id, total)
   SELECT 1, count(*) FROM visits
   ON CONFLICT (id) DO NOTHING`,
] as const;

/**
 * Creates the tables the webapp needs if they are missing. Idempotent, and
 * safe to run from several processes at the same moment: everything happens
 * in one transaction holding a transaction-scoped advisory lock.
 */
export async function ensureSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK_KEY]);
    for (const statement of STATEMENTS) await client.query(statement);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch((rollbackErr: unknown) => {
      // The connection itself is gone: do not hand it back to the pool.
      broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
