import { describeError } from "@stockroom/http-kit";
import type { AxiosInstance } from "axios";
import axios, { isAxiosError } from "axios";
import type { ApiCallCounter, ApiCallOutcome } from "../metrics.js";
import type { ReplicaOptions } from "./replica-rotation.js";
import { createReplicaRotation } from "./replica-rotation.js";

/** What the api said, or why it could not be asked. */
export type Greeting = { ok: true; message: string; servedBy?: string } | { ok: false; error: string };

export interface ApiClient {
  /** Never throws: every failure comes back as `{ ok: false, error }`. */
  fetchGreeting(): Promise<Greeting>;
}

export interface ApiClientOptions extends ReplicaOptions {
  /** Where the api answers, by its service name: `http://api:5001`. */
  baseUrl: string;
  /** The most one greeting may take, from the lookup of the name to the last byte. */
  timeoutMs: number;
  /** Counts each greeting once by how it ended, whatever retries it took. */
  calls?: ApiCallCounter;
}

/** The webapp's client for the `api` service, found by hostname. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const http = createHttp(options);
  // `api` may name several replicas; this picks one per request (see replica-rotation.ts).
  const replicas = createReplicaRotation(options);
  return {
    async fetchGreeting() {
      // axios's `timeout` is reset by every byte that arrives; this signal
      // caps the whole exchange: the lookup, the connect, the retry, and a
      // body that trickles in byte by byte.
      const deadline = AbortSignal.timeout(options.timeoutMs);
      try {
        const response = await replicas.send(
          (agent) => http.get<string>("/", { signal: deadline, httpAgent: agent, httpsAgent: agent }),
          deadline,
        );
        const servedBy = response.headers["x-served-by"];
        options.calls?.inc({ outcome: "ok" });
        return {
          ok: true,
          message: String(response.data ?? "").trim(),
          ...(typeof servedBy === "string" && servedBy !== "" ? { servedBy } : {}),
        };
      } catch (err) {
        const [outcome, error] = describeFailure(err, options, deadline.aborted);
        options.calls?.inc({ outcome });
        return { ok: false, error };
      }
    },
  };
}

/** Greetings are a line of text; anything bigger than this is not one. */
const MAX_BODY_BYTES = 64 * 1024;

function createHttp({ baseUrl, timeoutMs }: ApiClientOptions): AxiosInstance {
  return axios.create({
    baseURL: baseUrl,
    timeout: timeoutMs,
    responseType: "text",
    headers: { Accept: "text/plain" },
    maxContentLength: MAX_BODY_BYTES,
    // The api answers itself or fails; a redirect would be a misconfiguration
    // to report, not follow. It also keeps axios on plain node:http instead of
    // its redirect-following wrapper (2-3% of the webapp's CPU in a profile).
    maxRedirects: 0,
    // Service-to-service traffic never goes through an HTTP(S)_PROXY from the environment.
    proxy: false,
    transitional: { clarifyTimeoutError: true },
  });
}

type Failure = [outcome: Exclude<ApiCallOutcome, "ok">, error: string];

/** The outcome counted, and why the request failed in a few words (the network error code first when there is one). */
function describeFailure(err: unknown, { baseUrl, timeoutMs }: ApiClientOptions, timedOut: boolean): Failure {
  const timeout: Failure = ["timeout", `timed out after ${timeoutMs} ms (${baseUrl})`];
  if (isAxiosError(err) && err.response) return ["error", `api answered ${err.response.status}`];
  if (timedOut) return timeout;
  if (isAxiosError(err) && err.message.startsWith("maxContentLength")) {
    return ["error", `the api's answer is over ${MAX_BODY_BYTES} bytes`];
  }
  // The lookup of the api's name fails before axios is asked: a plain error with a code.
  const cause = (isAxiosError(err) ? err.cause : err) as
    | (NodeJS.ErrnoException & { hostname?: string; address?: string; port?: number })
    | undefined;
  const code = (isAxiosError(err) ? err.code : undefined) ?? cause?.code;
  switch (code) {
    case "ETIMEDOUT":
    case "ECONNABORTED":
    case "ERR_CANCELED":
      return timeout;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return ["unreachable", `${code} ${cause?.hostname ?? new URL(baseUrl).hostname}`];
    case "ECONNREFUSED":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return ["unreachable", `${code} ${cause?.address ? `${cause.address}:${cause.port}` : new URL(baseUrl).host}`];
    default: {
      const detail = describeError(cause ?? err);
      // ERR_CONNECT_TIMEOUT (replica-rotation.ts): no replica completed a connect.
      const outcome = code === "ERR_CONNECT_TIMEOUT" ? "unreachable" : "error";
      return [outcome, code && !detail.includes(code) ? `${code} ${detail}` : detail];
    }
  }
}
