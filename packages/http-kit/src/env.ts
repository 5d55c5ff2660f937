import { z } from "zod";

/** A configuration value is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The environment as `process.env` holds it; what every `loadConfig(env)` reads. */
export type Env = Record<string, string | undefined>;

/** Variables whose values may hold credentials: their values never reach a log line. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY|DATABASE_URL/i;

const PORT_RANGE = "must be a whole number from 1 to 65535";

/** A TCP port from the environment, with a default when unset. */
export const envPort = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, PORT_RANGE)
    .default(String(fallback))
    .transform(Number)
    .pipe(z.number().int().min(1, PORT_RANGE).max(65535, PORT_RANGE));

/**
 * METRICS_PORT: where a service answers GET /metrics, on the same HOST as
 * PORT. 9464 is the port OpenTelemetry's Prometheus exporter uses.
 */
export const envMetricsPort = envPort(9464);

/**
 * Refuses a METRICS_PORT equal to PORT: both listen on HOST, so the second
 * listen would fail with EADDRINUSE instead of a line naming the variable.
 */
export function requireSeparateMetricsPort<S extends z.ZodType<{ PORT: number; METRICS_PORT: number }>>(schema: S): S {
  return schema.superRefine(({ PORT, METRICS_PORT }, ctx) => {
    if (METRICS_PORT !== PORT) return;
    const message = `must differ from PORT, which is ${PORT} too: both listen on HOST`;
    ctx.addIssue({ code: "custom", path: ["METRICS_PORT"], message });
  });
}

/** A whole number >= 1 from the environment, with a default when unset. */
export const envPositiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number >= 1")
    .default(String(fallback))
    .transform(Number)
    .pipe(z.number().int().min(1, "must be a whole number >= 1"));

/** An http(s) URL from the environment, with a default when unset. */
export const envHttpUrl = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .pipe(z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }));

/**
 * A string from the environment that must not be blank, with a default when
 * unset. Trimmed, unless `{ trim: false }`: a value answered exactly as given
 * (the api's greeting) keeps its spaces.
 */
export const envNonBlank = (fallback: string, { trim = true }: { trim?: boolean } = {}) =>
  (trim ? z.string().trim() : z.string()).refine((value) => value.trim() !== "", "must not be empty").default(fallback);

export const envLogLevel = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
    error: "must be one of fatal, error, warn, info, debug, trace, silent",
  })
  .default("info");

export type LogLevel = z.output<typeof envLogLevel>;

/**
 * Parses `env` with `schema` once, at start-up. Returns a frozen, typed object;
 * on the first bad value throws a ConfigError whose one-line message names the
 * variable and what was wrong with it.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): Readonly<z.output<S>> {
  // An empty value counts as unset (as in the official images): Compose's
  // `${VAR:-}` and `docker run -e VAR=` give empty strings, not absence.
  const setValues = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  const result = schema.safeParse(setValues);
  if (result.success) return Object.freeze(result.data);
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? "environment");
  const raw = env[name];
  const got =
    raw === undefined
      ? "it is not set"
      : SECRET_NAME.test(name)
        ? `got a value of ${raw.length} characters, not shown`
        : `got ${JSON.stringify(raw)}`;
  throw new ConfigError(`${name} ${issue?.message ?? "is invalid"} (${got})`);
}
