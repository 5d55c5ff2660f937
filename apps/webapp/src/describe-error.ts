/**
 * One readable line for any thrown value, for logs and status answers.
 *
 * Node reports a refused connection to a name with several addresses
 * (localhost is ::1 and 127.0.0.1) as an AggregateError with an empty
 * message; its inner errors are what says what happened.
 */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.message === "" && err.errors.length > 0) {
    return [...new Set(err.errors.map(describeError))].join("; ");
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return err.message || (typeof code === "string" ? code : err.name);
  }
  return String(err);
}
