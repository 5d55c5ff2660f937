export { ConfigError, envHttpUrl, envLogLevel, envPort, envPositiveInt, parseEnv } from "./env.js";
export { errorHandler, methodNotAllowed, notFoundHandler } from "./error-handlers.js";
export { HttpError } from "./http-error.js";
export { createLogger, type Logger, requestLogger, silentLogger } from "./logger.js";
export { securityHeaders, type SecurityHeadersOptions } from "./security-headers.js";
export { closeGracefully, createShutdown, listen, type ListenOptions, onShutdownSignals, runService, type ShutdownOptions } from "./serve.js";
