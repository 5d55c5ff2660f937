// The database layer, also exported as "@stockroom/webapp/db" for the
// integration tests that run it against a real Postgres.
export { createPool, type DatabaseConfig, endPool } from "./pool.js";
export { COUNTER_SLOTS, ensureSchema, SCHEMA_LOCK_KEY } from "./schema.js";
export { createSchemaReadiness, type SchemaReadiness, type SchemaReadinessOptions } from "./schema-readiness.js";
export {
  createVisitStore,
  DatabaseUnavailableError,
  MAX_RECENT_VISITS,
  RECORD_VISIT,
  type RecordedVisit,
  type Visit,
  type VisitStore,
} from "./visit-store.js";
export { type Sleep, type WaitForSchemaOptions, waitForSchema } from "./wait-for-schema.js";
