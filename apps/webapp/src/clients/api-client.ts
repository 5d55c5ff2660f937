import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { describeError } from "@stockroom/http-kit";
import type { AxiosInstance } from "axios";
import axios, { isAxiosError } from "axios";

/** What the api said, or why it could not be asked. */
export type Greeting = { ok: true; message: string; servedBy?: string } | { ok: false; error: string };

export interface ApiClient {
  /** Never throws: every failure comes back as `{ ok: false, error }`. */
  fetchGreeting(): Promise<Greeting>;
}

export interface ApiClientOptions {
  baseUrl: string;
  timeoutMs: number;
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
    // No keep-alive, on purpose: every request opens a new connection and so
    // resolves the `api` hostname again. With `docker compose up --scale api=3`
    // Docker's DNS hands out the replicas in turn, so successive page loads
    // reach different api containers instead of staying pinned to the one a
    // kept-alive socket happens to be connected to.
    httpAgent: new HttpAgent({ keepAlive: false }),
    httpsAgent: new HttpsAgent({ keepAlive: false }),
    // Service-to-service traffic never goes through an HTTP(S)_PROXY from the environment.
    proxy: false,
    transitional: { clarifyTimeoutError: true },
  });
}

/** Why a request failed, in a few words (the network error code first when there is one). */
function describeFailure(err: unknown, { baseUrl, timeoutMs }: ApiClientOptions, timedOut: boolean): string {
  if (isAxiosError(err) && err.response) return `api answered ${err.response.status}`;
  if (timedOut) return `timed out after ${timeoutMs} ms (${baseUrl})`;
  if (!isAxiosError(err)) return describeError(err);
  const cause = err.cause as
    | (NodeJS.ErrnoException & { hostname?: string; address?: string; port?: number })
    | undefined;
  const code = err.code ?? cause?.code;
  switch (code) {
    case "ETIMEDOUT":
    case "ECONNABORTED":
    case "ERR_CANCELED":
      return `timed out after ${timeoutMs} ms (${baseUrl})`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `${code} ${cause?.hostname ?? new URL(baseUrl).hostname}`;
    case "ECONNREFUSED":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${code} ${cause?.address ? `${cause.address}:${cause.port}` : new URL(baseUrl).host}`;
    default: {
      const detail = describeError(cause ?? err);
      return code && !detail.includes(code) ? `${code} ${detail}` : detail;
    }
  }
}

/** The webapp's client for the `api` service, found by hostname. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const http = createHttp(options);
  return {
    async fetchGreeting() {
      // axios's `timeout` is reset by every byte that arrives; this signal
      // caps the whole exchange.
      const deadline = AbortSignal.timeout(options.timeoutMs);
      try {
        const response = await http.get<string>("/", { signal: deadline });
        const servedBy = response.headers["x-served-by"];
        return {
          ok: true,
          message: String(response.data ?? "").trim(),
          ...(typeof servedBy === "string" && servedBy !== "" ? { servedBy } : {}),
        };
      } catch (err) {
        return { ok: false, error: describeFailure(err, options, deadline.aborted) };
      }
    },
  };
}
