// What production code imports. Test helpers live in "@stockroom/http-kit/testing"
// (./testing/index.ts), which nothing here may import: it needs vitest.
export {
  ConfigError,
  type Env,
  envHttpUrl,
  envLogLevel,
  envNonBlank,
  envPort,
  envPositiveInt,
  type LogLevel,
  parseEnv,
} from "./env.js";
export { describeError, errorHandler, HttpError, methodNotAllowed, notFoundHandler } from "./error-handlers.js";
export { createLogger, type Logger, requestLogger, silentLogger } from "./logger.js";
export { type SecurityHeadersOptions, securityHeaders } from "./security-headers.js";
export {
  closeGracefully,
  createServiceApp,
  createShutdown,
  healthRoute,
  type ListenOptions,
  listen,
  onShutdownSignals,
  runService,
  type ServiceAppOptions,
  type ShutdownOptions,
} from "./serve.js";
