// In-memory stand-ins for the webapp's two dependencies, for route tests
// (not built into dist: tsconfig.build.json leaves src/testing/ out).
import type { ApiClient, Greeting } from "../clients/api-client.js";
import type { Visit, VisitStore } from "../db/visit-store.js";
import { DatabaseUnavailableError, MAX_RECENT_VISITS } from "../db/visit-store.js";

export interface FakeApiClient extends ApiClient {
  /** What the next fetchGreeting resolves with. */
  greeting: Greeting;
  calls: number;
}

/** An ApiClient that answers whatever `greeting` is set to. */
export function createFakeApiClient(greeting: Greeting = { ok: true, message: "Hello from the api" }): FakeApiClient {
  const fake: FakeApiClient = {
    greeting,
    calls: 0,
    async fetchGreeting() {
      fake.calls += 1;
      return fake.greeting;
    },
  };
  return fake;
}

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
      clock += 1000;
      const visit = { id: (last?.id ?? 0) + 1, visitedAt: new Date(clock) };
      visits.push(visit);
      return { visit, total: visits.length, recentVisits: visits.slice(-MAX_RECENT_VISITS).reverse() };
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
