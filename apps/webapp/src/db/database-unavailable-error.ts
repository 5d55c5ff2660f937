import { describeError } from "../describe-error.js";

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
