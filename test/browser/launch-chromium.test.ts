import { describe, expect, it } from "vitest";
import type { BrowserHost } from "./launch-chromium.js";
import { chooseChromium } from "./launch-chromium.js";

// Which browser the browser test drives, on fake machines: each test lists the
// executables that exist there, and the choice must be the first in our order.

const CHROME_MAC = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
const EDGE_MAC = "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge";

function host(
  platform: NodeJS.Platform,
  executables: readonly string[],
  env: Record<string, string | undefined> = {},
): BrowserHost & { asked: string[] } {
  const asked: string[] = [];
  return {
    platform,
    env,
    asked,
    exists: (path) => {
      asked.push(path);
      return executables.includes(path);
    },
  };
}

describe("chooseChromium", () => {
  it("takes CHROMIUM_PATH first, even when Debian's chromium is there too", () => {
    const machine = host("linux", ["/usr/bin/chromium", "/usr/bin/google-chrome"], {
      CHROMIUM_PATH: "/usr/bin/google-chrome",
    });
    expect(chooseChromium(machine)).toEqual({ executablePath: "/usr/bin/google-chrome" });
  });

  it("fails on a CHROMIUM_PATH that is not an executable instead of quietly taking another browser", () => {
    const machine = host("darwin", [CHROME_MAC], { CHROMIUM_PATH: " /nowhere/chrome " });
    expect(() => chooseChromium(machine)).toThrow(
      "The browser tests need Chromium and there is no executable at CHROMIUM_PATH=/nowhere/chrome: " +
        "install Debian's chromium (`apt-get install chromium`) or set CHROMIUM_PATH to a Chromium executable.",
    );
  });

  it("takes Debian's chromium when CHROMIUM_PATH is unset or blank", () => {
    expect(chooseChromium(host("linux", ["/usr/bin/chromium"]))).toEqual({ executablePath: "/usr/bin/chromium" });
    expect(chooseChromium(host("linux", ["/usr/bin/chromium"], { CHROMIUM_PATH: "  " }))).toEqual({
      executablePath: "/usr/bin/chromium",
    });
  });

  it("on a Mac with Google Chrome, launches Chrome through playwright-core's chrome channel", () => {
    const machine = host("darwin", [CHROME_MAC, EDGE_MAC, "/Applications/Chromium.app/Contents/MacOS/Chromium"]);
    expect(chooseChromium(machine)).toEqual({ channel: "chrome" });
  });

  it("takes Microsoft Edge when there is no Chrome", () => {
    expect(chooseChromium(host("darwin", [EDGE_MAC]))).toEqual({ channel: "msedge" });
    expect(chooseChromium(host("linux", ["/opt/microsoft/msedge/msedge"]))).toEqual({ channel: "msedge" });
  });

  it("looks for Chrome where Google's Linux package installs it, after Debian's chromium", () => {
    const machine = host("linux", ["/opt/google/chrome/chrome"]);
    expect(chooseChromium(machine)).toEqual({ channel: "chrome" });
    expect(machine.asked.slice(0, 2)).toEqual(["/usr/bin/chromium", "/opt/google/chrome/chrome"]);
  });

  it("finds Chrome on Windows under any of the install roots, per user or per machine", () => {
    const perUser = host("win32", ["C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe"], {
      LOCALAPPDATA: "C:\\Users\\ada\\AppData\\Local",
      PROGRAMFILES: "C:\\Program Files",
    });
    expect(chooseChromium(perUser)).toEqual({ channel: "chrome" });

    const noProgramFilesVariable = host(
      "win32",
      ["D:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"],
      {
        HOMEDRIVE: "D:",
      },
    );
    expect(chooseChromium(noProgramFilesVariable)).toEqual({ channel: "msedge" });
  });

  it("then takes a Chromium on PATH, in PATH order, before the fixed paths", () => {
    const machine = host("linux", ["/home/ada/bin/chromium", "/usr/local/bin/chromium-browser", "/snap/bin/chromium"], {
      PATH: "/home/ada/bin:/usr/local/bin",
    });
    expect(chooseChromium(machine)).toEqual({ executablePath: "/home/ada/bin/chromium" });
    expect(machine.asked).toContain("/home/ada/bin/chromium-browser");
  });

  it("then Ubuntu's chromium-browser, the snap, and macOS's Chromium.app, in that order", () => {
    expect(chooseChromium(host("linux", ["/usr/bin/chromium-browser", "/snap/bin/chromium"]))).toEqual({
      executablePath: "/usr/bin/chromium-browser",
    });
    expect(chooseChromium(host("linux", ["/snap/bin/chromium"]))).toEqual({ executablePath: "/snap/bin/chromium" });
    const mac = "/Applications/Chromium.app/Contents/MacOS/Chromium";
    expect(chooseChromium(host("darwin", [mac]))).toEqual({ executablePath: mac });
  });

  it("takes Chromium's own Windows install when there is neither Chrome nor Edge", () => {
    const path = "C:\\Users\\ada\\AppData\\Local\\Chromium\\Application\\chrome.exe";
    expect(chooseChromium(host("win32", [path], { LOCALAPPDATA: "C:\\Users\\ada\\AppData\\Local" }))).toEqual({
      executablePath: path,
    });
  });

  it("says in one line what to install when there is no browser at all", () => {
    const machine = host("darwin", [], { PATH: "/usr/local/bin:/usr/bin" });
    expect(() => chooseChromium(machine)).toThrow(
      "The browser tests need Chromium and there is no executable at /usr/bin/chromium, " +
        "nor a Google Chrome, Microsoft Edge or Chromium where they install: " +
        "install Debian's chromium (`apt-get install chromium`) or set CHROMIUM_PATH to a Chromium executable.",
    );
  });
});
