import { readFileSync } from "node:fs";
import type { Env, LogLevel } from "@stockroom/http-kit";
import {
  ConfigError,
  envHttpUrl,
  envLogLevel,
  envMetricsPort,
  envNonBlank,
  envPort,
  envPositiveInt,
  parseEnv,
  requireSeparateMetricsPort,
} from "@stockroom/http-kit";
import { z } from "zod";
import type { DatabaseConfig } from "./db/pool.js";

/** Express's names for address ranges, as `trust proxy` takes them. */
const RANGE_NAMES = ["loopback", "linklocal", "uniquelocal"] as const;
const trustedProxy = z.union([z.enum(RANGE_NAMES), z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
  error: `must list IP addresses, subnets (10.0.0.0/24) or ${RANGE_NAMES.join(", ")}, separated by commas`,
});

/**
 * Whose X-Forwarded-For to believe: the proxy's network in
 * docker-compose.proxy.yml. Unset: nobody, so a client reaching the webapp
 * directly cannot make it log an address of its choosing. `true` (anyone) is
 * not accepted on purpose.
 */
const trustProxyList = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(z.array(trustedProxy));

// parseEnv drops empty and blank values first (`FOO=` in a Compose file), so
// an optional variable set that way counts as unset.
const serviceSchema = requireSeparateMetricsPort(
  z.object({
    PORT: envPort(5000),
    HOST: envNonBlank("0.0.0.0"),
    // GET /metrics, for Prometheus, on a port of its own on HOST.
    METRICS_PORT: envMetricsPort,
    LOG_LEVEL: envLogLevel,
    API_URL: envHttpUrl("http://api:5001"),
    API_TIMEOUT_MS: envPositiveInt(2000),
    // Checked by parseDatabaseUrl: parseEnv would echo the value, password and all.
    DATABASE_URL: z.string().trim().optional(),
    TRUST_PROXY: trustProxyList,
  }),
);

/** Read only when DATABASE_URL is not set. */
const pgSchema = z
  .object({
    PGHOST: envNonBlank("db"),
    PGPORT: envPort(5432),
    PGUSER: envNonBlank("stockroom"),
    PGDATABASE: envNonBlank("stockroom"),
    PGPASSWORD: z.string().optional(),
    PGPASSWORD_FILE: z.string().trim().optional(),
  })
  .refine((vars) => vars.PGPASSWORD === undefined || vars.PGPASSWORD_FILE === undefined, {
    path: ["PGPASSWORD_FILE"],
    error: "and PGPASSWORD are both set; set only one of them",
  });

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Where GET /metrics answers, on `host` too. */
  readonly metricsPort: number;
  readonly logLevel: LogLevel;
  readonly apiUrl: string;
  readonly apiTimeoutMs: number;
  /** Addresses and subnets whose X-Forwarded-For is believed; empty: none. */
  readonly trustProxy: readonly string[];
  readonly database: DatabaseConfig;
}

/** The password in a secret file (Docker/Compose secrets), without its trailing newline. */
function readPasswordFile(path: string): string {
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(`PGPASSWORD_FILE could not be read: ${reason} (got ${JSON.stringify(path)})`);
  }
  const password = content.replace(/[\r\n]+$/, "");
  if (password === "") throw new ConfigError(`PGPASSWORD_FILE names an empty file (got ${JSON.stringify(path)})`);
  return password;
}

/** The URL with its password masked, safe for logs and error messages. */
function redactUrl(url: URL): string {
  const copy = new URL(url);
  if (copy.password) copy.password = "***";
  return copy.toString();
}

function parseDatabaseUrl(raw: string): string {
  // The value may hold a password: the message shows at most its scheme.
  let protocol: string | undefined;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== "postgres:" && protocol !== "postgresql:") {
    const got = protocol ? `got a URL with scheme ${JSON.stringify(protocol)}` : "got a value that is not a URL";
    throw new ConfigError(`DATABASE_URL must be a postgres:// or postgresql:// URL (${got})`);
  }
  return raw;
}

function loadDatabaseConfig(databaseUrl: string | undefined, env: Env): DatabaseConfig {
  if (databaseUrl !== undefined) return { connectionString: parseDatabaseUrl(databaseUrl) };
  const pgVars = parseEnv(pgSchema, env);
  const password = pgVars.PGPASSWORD_FILE !== undefined ? readPasswordFile(pgVars.PGPASSWORD_FILE) : pgVars.PGPASSWORD;
  return {
    host: pgVars.PGHOST,
    port: pgVars.PGPORT,
    user: pgVars.PGUSER,
    database: pgVars.PGDATABASE,
    ...(password === undefined ? {} : { password }),
  };
}

/**
 * Reads the webapp's configuration once, at start-up. Throws a ConfigError
 * whose one-line message names the first bad variable. Nothing else in the
 * webapp reads the environment.
 */
export function loadConfig(env: Env): Config {
  const vars = parseEnv(serviceSchema, env);
  return Object.freeze({
    port: vars.PORT,
    host: vars.HOST,
    metricsPort: vars.METRICS_PORT,
    logLevel: vars.LOG_LEVEL,
    apiUrl: vars.API_URL,
    apiTimeoutMs: vars.API_TIMEOUT_MS,
    trustProxy: Object.freeze(vars.TRUST_PROXY),
    database: Object.freeze(loadDatabaseConfig(vars.DATABASE_URL, env)),
  });
}

/** Where the webapp looks for Postgres, for the start-up log line; never includes the password. */
export function describeDatabase(database: DatabaseConfig): string {
  if ("connectionString" in database) {
    try {
      return redactUrl(new URL(database.connectionString));
    } catch {
      return "(DATABASE_URL)";
    }
  }
  return `postgres://${database.user}@${database.host}:${database.port}/${database.database}`;
}
