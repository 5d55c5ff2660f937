import type { ApiClient, Greeting } from "../clients/api-client.js";

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
