import { accessSync, constants } from "node:fs";
import { posix, win32 } from "node:path";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";

/** Where Debian's chromium package puts the browser (.ci/run installs it); tried right after CHROMIUM_PATH. */
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

/** What the choice looks at; the unit tests pass a fake file system and environment. */
export interface BrowserHost {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** True when `path` is an executable file. */
  exists: (path: string) => boolean;
}

/** A Chromium executable, or an installed Google Chrome or Microsoft Edge that playwright-core finds by channel. */
export type BrowserChoice = { executablePath: string } | { channel: "chrome" | "msedge" };

/**
 * Where Chrome and Edge install, per OS: the same table as playwright-core's
 * registry (`_createChromiumChannel` in playwright-core/lib/coreBundle.js), which
 * it does not export. On Windows each path is relative to the install roots below.
 * We look for the file rather than launch the channel, so a missing one costs nothing.
 */
const CHANNELS = [
  {
    channel: "chrome",
    linux: "/opt/google/chrome/chrome",
    darwin: "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    win32: "Google\\Chrome\\Application\\chrome.exe",
  },
  {
    channel: "msedge",
    linux: "/opt/microsoft/msedge/msedge",
    darwin: "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    win32: "Microsoft\\Edge\\Application\\msedge.exe",
  },
] as const;

/** A plain Chromium, after Chrome and Edge: on PATH, then Ubuntu's, the snap and macOS's app. */
const CHROMIUM_ON_PATH = ["chromium-browser", "chromium"];
const CHROMIUM_PATHS = [
  "/usr/bin/chromium-browser",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];
/** Chromium's own Windows installer puts it here, under one of the install roots. */
const WINDOWS_CHROMIUM = "Chromium\\Application\\chrome.exe";

/** Windows installs per user (LOCALAPPDATA) or per machine (Program Files), searched as playwright-core does. */
function windowsRoots(env: BrowserHost["env"]): string[] {
  const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env["PROGRAMFILES(X86)"]];
  if (env.HOMEDRIVE) roots.push(`${env.HOMEDRIVE}\\Program Files`, `${env.HOMEDRIVE}\\Program Files (x86)`);
  return roots.filter((root): root is string => Boolean(root));
}

/** Where one channel's browser would be on this OS, most likely first. */
function channelPaths(channel: (typeof CHANNELS)[number], { env, platform }: BrowserHost): string[] {
  if (platform === "win32") return windowsRoots(env).map((root) => win32.join(root, channel.win32));
  return platform === "linux" || platform === "darwin" ? [channel[platform]] : [];
}

/** Where a plain Chromium would be on this OS; PATH is searched on Linux and macOS only. */
function chromiumPaths({ env, platform }: BrowserHost): string[] {
  if (platform === "win32") return windowsRoots(env).map((root) => win32.join(root, WINDOWS_CHROMIUM));
  const dirs = (env.PATH ?? "").split(":").filter(Boolean);
  return [...dirs.flatMap((dir) => CHROMIUM_ON_PATH.map((name) => posix.join(dir, name))), ...CHROMIUM_PATHS];
}

/**
 * The browser the tests drive, in this order: CHROMIUM_PATH; Debian's chromium;
 * an installed Google Chrome, then Microsoft Edge; then a Chromium in its usual
 * places. A CHROMIUM_PATH that is not an executable fails at once: whoever set
 * it meant that browser, not another one. One clear line when there is none.
 */
export function chooseChromium(host: BrowserHost = realHost()): BrowserChoice {
  const fromEnv = host.env.CHROMIUM_PATH?.trim();
  if (fromEnv) {
    if (host.exists(fromEnv)) return { executablePath: fromEnv };
    throw new Error(
      `The browser tests need Chromium and there is no executable at CHROMIUM_PATH=${fromEnv}: ` +
        "install Debian's chromium (`apt-get install chromium`) or set CHROMIUM_PATH to a Chromium executable.",
    );
  }
  if (host.platform !== "win32" && host.exists(DEFAULT_CHROMIUM_PATH)) return { executablePath: DEFAULT_CHROMIUM_PATH };
  for (const channel of CHANNELS) {
    if (channelPaths(channel, host).some(host.exists)) return { channel: channel.channel };
  }
  const chromiumPath = chromiumPaths(host).find(host.exists);
  if (chromiumPath) return { executablePath: chromiumPath };
  throw new Error(
    `The browser tests need Chromium and there is no executable at ${DEFAULT_CHROMIUM_PATH}, ` +
      "nor a Google Chrome, Microsoft Edge or Chromium where they install: " +
      "install Debian's chromium (`apt-get install chromium`) or set CHROMIUM_PATH to a Chromium executable.",
  );
}

/** Launches a headless Chromium; close it (browser.close()) when done, even after a failure. */
export function launchChromium(choice: BrowserChoice = chooseChromium()): Promise<Browser> {
  return chromium.launch({ ...choice, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

function realHost(): BrowserHost {
  return {
    env: process.env,
    platform: process.platform,
    exists: (path) => {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}
