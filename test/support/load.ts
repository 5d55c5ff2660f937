import type { Stack } from "./stack.js";
import { compose } from "./stack.js";

// Page loads under load, and what the database kept of them: the tests that
// break something while clients keep loading the page (a database restart, a
// replica killed) count every answer and then look each visit up in Postgres.

export interface Sample {
  start: number;
  end: number;
  /** HTTP status, or 0 when the request itself failed (refused, reset, timeout). */
  status: number;
  /** The visit row the webapp says it wrote (X-Visit-Id), if any. */
  visitId: string | null;
  /** Which webapp replica answered (X-Served-By), if any. */
  servedBy: string | null;
  /** What the test's `notice` found worth keeping in the body (e.g. "says the api is down"). */
  notice?: string | undefined;
  error?: string;
}

export interface LoadOptions {
  /** How many clients load the page at once, each one request after the other. */
  clients: number;
  /** Until when (Date.now()) they keep going; read before each request, so a getter can move it. */
  readonly until: number;
  /** Reads a body and returns a remark to keep with the sample, or undefined. */
  notice?: (status: number, body: string) => string | undefined;
}

/** One client: page loads back to back until `until`, each with its own 10 s timeout. */
async function client(url: string, options: LoadOptions, samples: Sample[]): Promise<void> {
  const { notice } = options;
  while (Date.now() < options.until) {
    const start = Date.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      const body = await res.text();
      samples.push({
        start,
        end: Date.now(),
        status: res.status,
        visitId: res.headers.get("x-visit-id"),
        servedBy: res.headers.get("x-served-by"),
        notice: notice?.(res.status, body),
      });
    } catch (err) {
      samples.push({ start, end: Date.now(), status: 0, visitId: null, servedBy: null, error: String(err) });
    }
  }
}

/** Loads `url` with `clients` concurrent clients until `until`; resolves to every answer, in order of completion. */
export async function loadPages(url: string, options: LoadOptions): Promise<Sample[]> {
  const samples: Sample[] = [];
  await Promise.all(Array.from({ length: options.clients }, () => client(url, options, samples)));
  return samples;
}

export const describeSample = (s: Sample) => `${s.status} after ${s.end - s.start} ms${s.error ? ` (${s.error})` : ""}`;

/** psql inside the db container, as the superuser its environment names (local socket: no password). */
export async function sql(stack: Pick<Stack, "project" | "files" | "env">, query: string): Promise<string[]> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, run by sh in the container
  const script = 'psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "${POSTGRES_DB:-$POSTGRES_USER}" -At -c "$1"';
  const { stdout } = await compose(stack, ["exec", "-T", "db", "sh", "-c", script, "sh", query]);
  return stdout.split("\n").filter(Boolean);
}

/**
 * The visits answered with a 200 that the database does not hold (none, if
 * nothing acknowledged was lost). Throws if a 200 came without an X-Visit-Id,
 * or if two answers claim the same row.
 */
export async function lostVisits(stack: Pick<Stack, "project" | "files" | "env">, samples: Sample[]) {
  const ok = samples.filter((s) => s.status === 200);
  const answered = ok.map((s) => s.visitId).filter((id): id is string => id !== null && /^\d+$/.test(id));
  if (answered.length < ok.length)
    throw new Error(`${ok.length - answered.length} answers of 200 carried no X-Visit-Id`);
  if (new Set(answered).size !== answered.length) throw new Error("two answers of 200 claim the same visit row");
  const rows = new Set(await sql(stack, "select id from visits"));
  return { answered: answered.length, rows: rows.size, lost: answered.filter((id) => !rows.has(id)) };
}
