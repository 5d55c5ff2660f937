import type { Pool } from "pg";

/**
 * Any constant works, as long as nothing else in this database takes the
 * same advisory lock. It serialises schema set-up when two webapp replicas
 * start at once (CREATE TABLE IF NOT EXISTS alone can still collide).
 */
export const SCHEMA_LOCK_KEY = 0x5700_0001;

/**
 * The running total is kept in this many rows (slots 1..N), summed on read.
 * Each visit bumps one of them, so visits at the same moment do not queue on
 * one row's lock (with a single row, every insert waited for the previous
 * visit's commit). 16 is more than the webapp's pool has connections.
 */
export const COUNTER_SLOTS = 16;

const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS visits (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     visited_at timestamptz NOT NULL DEFAULT now()
   )`,
  // The running total, so the page never counts a big table: the sum of its rows.
  `CREATE TABLE IF NOT EXISTS visit_totals (
     id smallint PRIMARY KEY,
     total bigint NOT NULL
   )`,
  // A database from before the slots had one row, CHECK (id = 1): that
  // check goes, the row stays (slot 1, its total unchanged) and the other
  // slots join it at 0, so the sum is the old total exactly. Only then: an
  // ALTER TABLE, even one that finds nothing to drop, locks the counter
  // against every page load until this transaction ends, and every webapp
  // start runs these statements while other replicas serve.
  `DO $$ BEGIN
     IF EXISTS (SELECT 1 FROM pg_constraint
                WHERE conrelid = 'visit_totals'::regclass AND conname = 'visit_totals_id_check') THEN
       ALTER TABLE visit_totals DROP CONSTRAINT visit_totals_id_check;
     END IF;
   END $$`,
  // Seeded once from whatever visits already exist; afterwards it counts nothing.
  `INSERT INTO visit_totals (id, total)
   SELECT 1, count(*) FROM visits
   WHERE NOT EXISTS (SELECT 1 FROM visit_totals WHERE id = 1)
   ON CONFLICT (id) DO NOTHING`,
  `INSERT INTO visit_totals (id, total)
   SELECT slot, 0 FROM generate_series(2, ${COUNTER_SLOTS}) AS slot
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
