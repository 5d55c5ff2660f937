import { describe, expect, it } from "vitest";
import { matchOutput, parseConsoleBlocks } from "./console-blocks.js";
import type { Shell } from "./terminal.js";
import { Terminal } from "./terminal.js";

// The walkthroughs' terminal itself, on commands whose screens are known:
// no Docker, only tmux and the two shells.
const env = { HOME: process.env.HOME ?? "/tmp", PATH: process.env.PATH ?? "/usr/bin:/bin", TERM: "xterm-256color" };

describe.each<Shell>(["zsh", "bash"])("a command typed into %s in tmux", (shell) => {
  it("shows what the screen shows, with the exit status its prompt carries", async () => {
    const terminal = await Terminal.open({ shell, cwd: "/", env, columns: 60 });
    try {
      expect(await terminal.type("printf 'a\\nb\\n'; false", 10_000)).toEqual({ exitCode: 1, output: "a\nb" });
      // No final newline: bash puts its prompt after it, zsh marks it with a reverse-video %.
      expect(await terminal.type("printf abc", 10_000)).toEqual({ exitCode: 0, output: "abc" });
      expect(await terminal.type("echo one \\\n  two", 10_000)).toEqual({ exitCode: 0, output: "one two" });
      // A here-document: its lines are typed after the command, each at the continuation prompt.
      const hereDoc = "cat <<'EOF'\nline one\n  line two\nEOF";
      expect(await terminal.type(hereDoc, 10_000)).toEqual({ exitCode: 0, output: "line one\n  line two" });
      // A command that fills its line to the last column (the prompt "SR[0]$ " is 7 wide), and one longer than the line.
      const filled = `echo ${"x".repeat(60 - 7 - 5)}`;
      expect(await terminal.type(filled, 10_000)).toEqual({ exitCode: 0, output: "x".repeat(48) });
      expect(await terminal.type(`echo ${"y".repeat(100)}`, 10_000)).toEqual({ exitCode: 0, output: "y".repeat(100) });
    } finally {
      await terminal.close();
    }
  });

  it("types into a program the command opens, each line once its prompt shows, and shows it all", async () => {
    // A shell with a container's prompt stands in for `docker run -it ... bash`.
    const lesson = [
      "```console",
      "$ env PS1='root@3f2a1b:/# ' bash --norc --noprofile",
      "root@...:/# echo inside",
      "inside",
      "root@...:/# echo twice;",
      "twice",
      "root@...:/# exit 3",
      "exit",
      "(exit status 3)",
      "```",
    ].join("\n");
    const [command] = parseConsoleBlocks(lesson)[0]?.commands ?? [];
    expect(command?.answers?.map((answer) => answer.keys)).toEqual(["echo inside", "echo twice;", "exit 3"]);
    const terminal = await Terminal.open({ shell, cwd: "/", env });
    try {
      const screen = await terminal.type(command?.command ?? "", 10_000, command?.answers);
      expect(screen.exitCode).toBe(3);
      expect(matchOutput(command?.expected ?? [], screen.output)).toBeUndefined();
    } finally {
      await terminal.close();
    }
  });

  it(`treats a trailing # as ${shell === "zsh" ? "arguments, as stock zsh does" : "a comment"}`, async () => {
    const terminal = await Terminal.open({ shell, cwd: "/", env });
    try {
      const screen = await terminal.type("echo a # b", 10_000);
      expect(screen.output).toBe(shell === "zsh" ? "a # b" : "a");
    } finally {
      await terminal.close();
    }
  });
});
