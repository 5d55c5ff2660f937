import { accessSync, constants } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Where Debian's chromium package puts the browser; CHROMIUM_PATH overrides it. */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Flags for a headless Chromium on a closed network: no sandbox (root in a
 * container), no GPU, and nothing that phones Google (QUIC probes, component
 * and sync updates, background fetches), which would otherwise keep retrying.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The Chromium to launch: CHROMIUM_PATH, else Debian's; one clear line when there is none. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH?.trim();
  const path = fromEnv || DEFAULT_CHROMIUM_PATH;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    const where = fromEnv ? `CHROMIUM_PATH=${path}` : path;
    throw new Error(
      `The browser tests need Chromium and there is no executable at ${where}: ` +
        "install Debian's chromium (`apt-get install chromium`) or set CHROMIUM_PATH to a Chromium executable.",
    );
  }
  return path;
}

/** Launches a headless Chromium; close it (browser.close()) when done, even after a failure. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}
