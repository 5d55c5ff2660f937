// "@stockroom/http-kit/testing": the test harnesses both services' unit tests
// share. It imports vitest and supertest (dev dependencies, present wherever
// the workspaces are built), so production code never imports it; src/index.ts
// does not re-export it.
export { type BuiltService, builtService, expectRefusedToStart, type ServiceRun } from "./built-service.js";
export {
  type Answer,
  expectGracefulShutdown,
  type GracefulShutdownCase,
  itAnswersOversizedHeadersWith431,
  type SendOptions,
  type ServerForTests,
  sendRequest,
  serveForTests,
} from "./live-server.js";
export {
  type AnswerCase,
  describeSecurityHeaders,
  expectNoInternals,
  type Method,
  type SecurityHeadersCase,
} from "./response-checks.js";
