import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkPort } from "./doctor.ts";
import { checkWindowsPort, describeNodeUnderWsl, describePortUnderWsl, detectWsl } from "./doctor-wsl.ts";

// What the doctor says under WSL 2, from the Windows commands' recorded
// outputs in fixtures/windows.json, answered by a fake runner as WSL's interop
// passes them on: with Windows' line ends.

const NETSTAT = "netstat.exe -ano -p TCP";
const NETSH = "netsh.exe interface ipv4 show excludedportrange protocol=tcp";
const TASKLIST = "tasklist.exe /FI PID eq 14320 /FO CSV /NH";
const WINDOWS = JSON.parse(readFileSync(new URL("./fixtures/windows.json", import.meta.url), "utf8")) as {
  "/proc/version": string;
  [NETSTAT]: Record<"8080 free" | "node.exe on 8080", string[]>;
  [NETSH]: Record<"8080 free" | "8039-8138 reserved", string[]>;
  [TASKLIST]: string[];
};

const answered = (stdout: string) => ({ ok: true, stdout, stderr: "" });
const recorded = (lines: string[]) => answered(lines.join("\r\n"));

/** A runner that answers `answers` only, and lists the commands it was asked. */
function fakeRun(answers: Record<string, { ok: boolean; stdout: string; stderr: string; notFound?: boolean }>) {
  const asked: string[] = [];
  const run = async (program: string, args: string[]) => {
    const key = [program, ...args].join(" ");
    asked.push(key);
    const answer = answers[key];
    if (!answer) throw new Error(`unexpected command: ${key}`);
    return answer;
  };
  return { run, asked };
}

describe("detecting WSL", () => {
  it("knows WSL by the variables it sets, naming the distribution", () => {
    expect(detectWsl({ WSL_DISTRO_NAME: "Ubuntu-24.04", WSL_INTEROP: "/run/WSL/312_interop" }, "")).toEqual({
      distro: "Ubuntu-24.04",
    });
  });

  it("knows WSL by its kernel when the variables are gone (sudo, a service)", () => {
    expect(detectWsl({}, WINDOWS["/proc/version"])).toEqual({ distro: "" });
  });

  it("leaves plain Linux alone", () => {
    const debian =
      "Linux version 6.12.48+deb13-amd64 (debian-kernel@lists.debian.org) (gcc-14 (Debian 14.2.0-19) 14.2.0)";
    expect(detectWsl({ HOME: "/home/ada" }, debian)).toBeUndefined();
  });
});

describe("port 8080 on Windows", () => {
  it("passes a port no Windows program holds and no range keeps, reading past a connection to another 8080", async () => {
    const { run } = fakeRun({
      [NETSH]: recorded(WINDOWS[NETSH]["8080 free"]),
      [NETSTAT]: recorded(WINDOWS[NETSTAT]["8080 free"]),
    });
    const windows = await checkWindowsPort(run, 8080, "127.0.0.1");
    expect(windows).toEqual({});
    expect(checkPort(8080, "", undefined, undefined, windows).line).toBe(
      "✔ Port 8080 free (the webapp will be at http://localhost:8080)",
    );
  });

  it("names the Windows program that listens on 8080, and how to stop it or move the webapp", async () => {
    const { run } = fakeRun({
      [NETSH]: recorded(WINDOWS[NETSH]["8080 free"]),
      [NETSTAT]: recorded(WINDOWS[NETSTAT]["node.exe on 8080"]),
      [TASKLIST]: recorded(WINDOWS[TASKLIST]),
    });
    const windows = await checkWindowsPort(run, 8080, "127.0.0.1");
    expect(windows).toEqual({ holder: { program: "node.exe", pid: "14320" } });
    const check = checkPort(8080, "", undefined, undefined, windows);
    expect(check.ok).toBe(false);
    expect(check.line).toBe(
      "✘ Port 8080: the Windows program node.exe (PID 14320) already listens on 8080, where the webapp is published. " +
        "Fix: stop it (Task Manager > Details, PID 14320) or move the webapp to another port, e.g. `export WEBAPP_HOST_PORT=8081`",
    );
  });

  it("fails a port in a range Windows keeps, suggesting the first port above the adjacent ranges", async () => {
    const { run, asked } = fakeRun({ [NETSH]: recorded(WINDOWS[NETSH]["8039-8138 reserved"]) });
    const windows = await checkWindowsPort(run, 8080, "127.0.0.1");
    expect(windows).toEqual({ reserved: { start: 8039, end: 8138, next: 8239 } });
    expect(asked).toEqual([NETSH]); // nobody can listen there: no need to ask netstat
    expect(checkPort(8080, "", undefined, undefined, windows).line).toBe(
      "✘ Port 8080: Windows keeps ports 8039-8138 for itself (an excluded port range, as Hyper-V and WinNAT take), " +
        "so Docker cannot publish 8080 there. Fix: in a Windows terminal run as administrator, " +
        "`net stop winnat` then `net start winnat` (Windows picks its ranges anew), or move the webapp to a port " +
        "outside the ranges `netsh.exe interface ipv4 show excludedportrange protocol=tcp` lists, e.g. `export WEBAPP_HOST_PORT=8239`",
    );
  });

  it("counts an administered exclusion (marked *) as free: it only keeps Windows from reserving it", async () => {
    const { run } = fakeRun({
      [NETSH]: recorded(WINDOWS[NETSH]["8039-8138 reserved"]),
      [NETSTAT]: recorded(WINDOWS[NETSTAT]["8080 free"]),
    });
    expect(await checkWindowsPort(run, 50010, "127.0.0.1")).toEqual({});
    expect((await checkWindowsPort(run, 1100, "127.0.0.1")).reserved).toEqual({ start: 1080, end: 1179, next: 1180 });
  });

  it("says when Windows' programs cannot be run from WSL, and how to check by hand", async () => {
    const { run } = fakeRun({
      [NETSH]: { ok: false, stdout: "", stderr: "", notFound: true },
      [NETSTAT]: { ok: false, stdout: "", stderr: "", notFound: true },
    });
    const windows = await checkWindowsPort(run, 8080, "127.0.0.1");
    expect(windows).toEqual({ unchecked: "netstat.exe is not on WSL's PATH" });
    expect(describePortUnderWsl({ distro: "Ubuntu" }, "Docker Desktop", 8080, windows)).toBe(
      "ℹ WSL 2 (Ubuntu): Docker Desktop publishes port 8080 on Windows, not inside WSL; the doctor could not " +
        "check it on Windows (netstat.exe is not on WSL's PATH): `netstat.exe -ano -p TCP` and " +
        "`netsh.exe interface ipv4 show excludedportrange protocol=tcp` show who holds it",
    );
    expect(checkPort(8080, "", undefined, undefined, windows).ok).toBe(true);
  });

  it("says where the port is bound: on Windows with Docker Desktop, inside WSL with an engine in the distro", () => {
    expect(describePortUnderWsl({ distro: "Ubuntu" }, "Docker Desktop", 8080, {})).toBe(
      "ℹ WSL 2 (Ubuntu): Docker Desktop publishes port 8080 on Windows, not inside WSL, " +
        "so the doctor checked it on Windows too; open http://localhost:8080 in a Windows browser",
    );
    expect(describePortUnderWsl({ distro: "Debian" }, "Docker Engine on Linux", 8081, {})).toBe(
      "ℹ WSL 2 (Debian): Docker Engine on Linux publishes port 8081 inside WSL, and WSL forwards it to Windows, " +
        "so the doctor checked it on Windows too; open http://localhost:8081 in a Windows browser",
    );
  });
});

describe("Windows' Node.js on WSL's PATH", () => {
  it("warns when `which npm` finds Windows' npm, and says to install Node.js inside WSL", async () => {
    const { run } = fakeRun({
      "which npm": answered("/mnt/c/Program Files/nodejs/npm"),
      "which node": answered("/home/ada/.nvm/versions/node/v26.1.0/bin/node"),
    });
    expect(await describeNodeUnderWsl(run)).toBe(
      "⚠ WSL: npm is Windows' (/mnt/c/Program Files/nodejs/npm), which fails in WSL's folders " +
        '("UNC paths are not supported"). Fix: install Node.js inside WSL, e.g. with nvm (`nvm install 26`), ' +
        "then open a new terminal; `which node npm` must then print paths that do not start with /mnt/",
    );
  });

  it("names both when node is Windows' too, and says nothing when both are WSL's own or absent", async () => {
    const windows = fakeRun({
      "which npm": answered("/mnt/c/Program Files/nodejs/npm"),
      "which node": answered("/mnt/c/Program Files/nodejs/node.exe"),
    });
    expect(await describeNodeUnderWsl(windows.run)).toMatch(
      /^⚠ WSL: npm and node are Windows' \(\/mnt\/c\/Program Files\/nodejs\/npm, \/mnt\/c\/Program Files\/nodejs\/node\.exe\)/,
    );
    const linux = fakeRun({
      "which npm": answered("/usr/local/bin/npm"),
      "which node": { ok: false, stdout: "", stderr: "" },
    });
    expect(await describeNodeUnderWsl(linux.run)).toBeUndefined();
  });
});
