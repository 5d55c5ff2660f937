// What production code imports. The test harnesses both services' unit tests
// share live in test/support/, outside every package a service runs.
export {
  ConfigError,
  type Env,
  envHttpUrl,
  envLogLevel,
  envMetricsPort,
  envNonBlank,
  envPort,
  envPositiveInt,
  type LogLevel,
  parseEnv,
  requireSeparateMetricsPort,
} from "./env.js";
export { describeError, errorHandler, HttpError, methodNotAllowed, notFoundHandler } from "./error-handlers.js";
export { createLogger, type Logger, requestLogger, silentLogger } from "./logger.js";
export {
  createServiceMetrics,
  type HttpLabel,
  metricsHandler,
  type ServiceMetrics,
} from "./metrics.js";
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
