// What `npm run doctor` adds under WSL 2, where the terminal is Linux but the
// machine is Windows:
//   - Docker Desktop publishes a container's port on Windows, not inside WSL
//     (Docker Engine inside the distro publishes it there, and WSL forwards it
//     to Windows). So the port is checked on Windows too: a Windows program
//     listening on it (netstat.exe), or a range Windows keeps for itself,
//     which Hyper-V and WinNAT take (netsh.exe), makes `docker compose up`
//     fail with "ports are not available".
//   - npm or node found on Windows' part of the PATH (/mnt/c/...) cannot work
//     in WSL's folders: "UNC paths are not supported".
// The Windows programs run through WSL's interop, as a learner would type
// them; their output has Windows' line ends and may be in Windows' language,
// so the parsing reads numbers and columns, never words.
// Plain Node.js, no dependencies, like the doctor itself.

type Env = Record<string, string | undefined>;
/** The doctor's Run, narrowed to what these checks read. */
type Run = (
  program: string,
  args: string[],
) => Promise<{ ok: boolean; stdout: string; stderr: string; notFound?: boolean }>;

export interface Wsl {
  /** The distribution's name (Ubuntu...), "" when unknown. */
  distro: string;
}

/** WSL sets WSL_DISTRO_NAME and WSL_INTEROP; its kernel says "microsoft" in /proc/version. */
export function detectWsl(env: Env, procVersion: string): Wsl | undefined {
  if (env.WSL_DISTRO_NAME || env.WSL_INTEROP || /microsoft/i.test(procVersion)) {
    return { distro: env.WSL_DISTRO_NAME ?? "" };
  }
  return undefined;
}

export interface WindowsPort {
  /** A Windows program that listens on the port. */
  holder?: { program: string; pid: string };
  /** The excluded port range that holds the port, and the first port above it that no range holds. */
  reserved?: { start: number; end: number; next: number };
  /** Why it could not be checked on Windows. */
  unchecked?: string;
}

const lines = (text: string) => text.split(/\r?\n/).map((line) => line.trim());

/**
 * The PIDs listening on `port` on one of `addresses`, from `netstat.exe -ano -p TCP`:
 *   TCP    127.0.0.1:8080         0.0.0.0:0              LISTENING       14320
 * A listening socket has no remote end (port 0), in every language Windows speaks.
 */
export function listenersOn(netstat: string, port: number, addresses: string[]): string[] {
  return lines(netstat)
    .map((line) => line.split(/\s+/))
    .filter(([proto, local = "", remote = ""]) => {
      const at = local.lastIndexOf(":");
      return (
        proto === "TCP" &&
        remote.endsWith(":0") &&
        local.slice(at + 1) === String(port) &&
        addresses.includes(local.slice(0, at))
      );
    })
    .map((columns) => columns.at(-1) ?? "");
}

/**
 * The ranges no program may listen in, from `netsh.exe interface ipv4 show excludedportrange protocol=tcp`:
 * "8039  8138". An administered one, marked "*" (added with `netsh ... add excludedportrange`), only keeps
 * Windows from reserving its ports: programs may still listen there, so it is left out.
 */
export function excludedRanges(netsh: string): { start: number; end: number }[] {
  return lines(netsh)
    .map((line) => /^(\d+)\s+(\d+)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ start: Number(match[1]), end: Number(match[2]) }));
}

/** Port `port` on Windows: who listens on it, or which range Windows keeps it in. */
export async function checkWindowsPort(run: Run, port: number, address: string): Promise<WindowsPort> {
  const netsh = await run("netsh.exe", ["interface", "ipv4", "show", "excludedportrange", "protocol=tcp"]);
  const ranges = netsh.ok ? excludedRanges(netsh.stdout) : [];
  const inRange = (p: number) => ranges.find(({ start, end }) => start <= p && p <= end);
  const range = inRange(port);
  if (range) {
    let next = range.end + 1;
    for (let above = inRange(next); above; above = inRange(next)) next = above.end + 1;
    return { reserved: { ...range, next } };
  }
  const netstat = await run("netstat.exe", ["-ano", "-p", "TCP"]);
  if (!netstat.ok) {
    const why = netstat.notFound ? "is not on WSL's PATH" : `failed: ${lines(netstat.stderr)[0] || "no output"}`;
    return { unchecked: `netstat.exe ${why}` };
  }
  const [pid] = listenersOn(netstat.stdout, port, ["0.0.0.0", "127.0.0.1", address]);
  if (!pid) return {};
  // "node.exe","14320","Console","1","52,148 K"
  const task = await run("tasklist.exe", ["/FI", `PID eq ${pid}`, "/FO", "CSV", "/NH"]);
  const program = /^"([^"]+)","/.exec(lines(task.stdout)[0] ?? "")?.[1] ?? "a program";
  return { holder: { program, pid } };
}

/**
 * The port check's ✘ line when Windows keeps the port for itself or a Windows
 * program holds it; `set` says where the port was set, `elsewhere` how to move it.
 */
export function describePortOnWindows(
  port: number,
  windows: WindowsPort,
  { set, elsewhere }: { set: string; elsewhere: string },
): string | undefined {
  if (windows.reserved) {
    const { start, end, next } = windows.reserved;
    return (
      `✘ Port ${port}: Windows keeps ports ${start}-${end} for itself (an excluded port range, as Hyper-V and ` +
      `WinNAT take), so Docker cannot publish ${port} there${set}. Fix: in a Windows terminal run as administrator, ` +
      "`net stop winnat` then `net start winnat` (Windows picks its ranges anew), or move the webapp to a port " +
      `outside the ranges \`netsh.exe interface ipv4 show excludedportrange protocol=tcp\` lists, e.g. \`export WEBAPP_HOST_PORT=${next}\``
    );
  }
  if (windows.holder) {
    const { program, pid } = windows.holder;
    return (
      `✘ Port ${port}: the Windows program ${program} (PID ${pid}) already listens on ${port}, where the webapp ` +
      `is published${set}. Fix: stop it (Task Manager > Details, PID ${pid}) ${elsewhere}`
    );
  }
  return undefined;
}

/** Where the port is bound, and what was checked there. */
export function describePortUnderWsl(
  wsl: Wsl,
  engineName: string | undefined,
  port: number | undefined,
  windows?: WindowsPort,
): string {
  const where = `ℹ WSL 2${wsl.distro ? ` (${wsl.distro})` : ""}: `;
  const what = port ? `port ${port}` : "the webapp's port";
  const bound =
    engineName && engineName !== "Docker Desktop"
      ? `${engineName} publishes ${what} inside WSL, and WSL forwards it to Windows`
      : `Docker Desktop publishes ${what} on Windows, not inside WSL`;
  const browse = `open http://localhost:${port ?? 8080} in a Windows browser`;
  if (!windows) return `${where}${bound}; ${browse}`;
  if (windows.unchecked) {
    return (
      `${where}${bound}; the doctor could not check it on Windows (${windows.unchecked}): ` +
      `\`netstat.exe -ano -p TCP\` and \`netsh.exe interface ipv4 show excludedportrange protocol=tcp\` show who holds it`
    );
  }
  return `${where}${bound}, so the doctor checked it on Windows too; ${browse}`;
}

const onWindows = (path: string) => /^\/mnt\/[a-z]\//i.test(path) || /\.(exe|cmd|bat)$/i.test(path);

/** ⚠ when `which` finds Windows' npm or node before a Linux one. */
export async function describeNodeUnderWsl(run: Run): Promise<string | undefined> {
  const found = await Promise.all(
    ["npm", "node"].map(async (name) => ({ name, path: (await run("which", [name])).stdout.trim() })),
  );
  const windows = found.filter(({ path }) => path && onWindows(path));
  if (windows.length === 0) return undefined;
  const names = windows.map(({ name }) => name).join(" and ");
  return (
    `⚠ WSL: ${names} ${windows.length === 1 ? "is" : "are"} Windows' (${windows.map(({ path }) => path).join(", ")}), ` +
    `which ${windows.length === 1 ? "fails" : "fail"} in WSL's folders ("UNC paths are not supported"). ` +
    "Fix: install Node.js inside WSL, e.g. with nvm (`nvm install 26`), then open a new terminal; " +
    "`which node npm` must then print paths that do not start with /mnt/"
  );
}
