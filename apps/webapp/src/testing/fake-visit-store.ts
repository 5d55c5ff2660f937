import { DatabaseUnavailableError } from "../db/database-unavailable-error.js";
import { MAX_RECENT_VISITS, type Visit, type VisitStore } from "../db/visit-store.js";

export interface FakeVisitStore extends VisitStore {
  /** Every visit recorded, oldest first. */
  readonly visits: Visit[];
  /** While true, every method rejects with a DatabaseUnavailableError, like a stopped Postgres. */
  down: boolean;
}

/** An in-memory VisitStore for route tests. */
export function createFakeVisitStore(initial: readonly Visit[] = []): FakeVisitStore {
  const visits = [...initial];
  let clock = Date.parse("2030-06-01T00:00:00.000Z");
  const store: FakeVisitStore = {
    visits,
    down: false,
    async recordVisit() {
      failIfDown();
      const last = visits.at(-1);
      const visit = { id: (last?.id ?? 0) + 1, visitedAt: new Date((clock += 1000)) };
      visits.push(visit);
      return { visit, total: visits.length };
    },
    async listRecentVisits(limit = MAX_RECENT_VISITS) {
      failIfDown();
      const n = Math.min(Math.max(limit, 0), MAX_RECENT_VISITS);
      return n === 0 ? [] : visits.slice(-n).reverse();
    },
    async countVisits() {
      failIfDown();
      return visits.length;
    },
    async ping() {
      failIfDown();
    },
  };
  function failIfDown(): void {
    if (store.down) throw new DatabaseUnavailableError(new Error("connect ECONNREFUSED 10.0.0.2:5432"));
  }
  return store;
}
