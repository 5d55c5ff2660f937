/** Exit codes of the restock job. */
export const EXIT_OK = 0;
/** The input could not be read or is invalid, or the output could not be written. */
export const EXIT_FAILURE = 1;
/** A bad flag or environment variable. */
export const EXIT_USAGE = 2;
/** Interrupted while writing: 128 + signal number. */
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;
