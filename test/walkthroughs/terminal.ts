import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import type { Answer } from "./console-blocks.js";

/**
 * A real terminal for the walkthroughs: tmux runs an interactive shell, the
 * runner types each command into it with `send-keys`, as a learner does, and
 * reads the screen with `capture-pane` once the next prompt shows. So the
 * shell is interactive (zsh's `#` is no comment, `&` prints job numbers),
 * Docker sees a TTY (live progress, colours) and what the lesson shows is
 * checked against what the screen shows when the command has finished.
 *
 * The prompt carries the exit status, `SR[0]$ `: the only thing the runner
 * sets in the shell. zsh runs as `zsh -f` (no rc files, macOS's defaults:
 * `interactivecomments` off), bash as `bash --norc --noprofile`.
 */
export type Shell = "zsh" | "bash";

export interface TerminalOptions {
  shell: Shell;
  cwd: string;
  /** The shell's whole environment (nothing else is inherited). */
  env: Record<string, string>;
  columns?: number;
  rows?: number;
}

export interface Screen {
  exitCode: number;
  /** The lines the command printed, as the terminal shows them once it is done (colours dropped). */
  output: string;
}

const PROMPT = { zsh: "SR[%?]$ ", bash: "SR[$?]$ " } as const;
// The continuation prompt, set too: the shells' own (zsh's "for> ", "dquote> ") vary with what is open.
const PROMPT_2 = "SR> ";
const PROMPT_SHOWN = /SR\[(\d+)\]\$ *$/;
const ECHO_START = /SR\[\d+\]\$ (.*)$/;
// zsh ends output that has no final newline with a reverse-video % (# for root), then a new line.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's own escape sequences
const ZSH_PARTIAL_LINE = /\x1b\[[\d;]*7m[%#]\x1b\[0m.*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's own escape sequences
const ESCAPES = /\x1b\[[\d;]*[A-Za-z]/g;

export class Terminal {
  private readonly socket: string;
  private readonly confDir: string;
  readonly shell: Shell;
  private readonly columns: number;

  private constructor(socket: string, confDir: string, shell: Shell, columns: number) {
    this.socket = socket;
    this.confDir = confDir;
    this.shell = shell;
    this.columns = columns;
  }

  static async open(options: TerminalOptions): Promise<Terminal> {
    const confDir = mkdtempSync(join(tmpdir(), "stockroom-terminal-"));
    const conf = join(confDir, "tmux.conf");
    // Room for a lesson's longest output; the history is cleared before each command.
    writeFileSync(conf, "set -g history-limit 50000\nset -g default-terminal xterm-256color\n");
    const columns = options.columns ?? 120;
    const socket = join(confDir, "socket");
    const shell = options.shell === "zsh" ? ["zsh", "-f"] : ["bash", "--norc", "--noprofile", "-o", "emacs"];
    const envArgs = Object.entries(options.env).map(([name, value]) => `${name}=${value}`);
    await execa("tmux", [
      ...["-S", socket, "-f", conf, "new-session", "-d", "-s", "lesson"],
      ...["-x", String(columns), "-y", String(options.rows ?? 40), "-c", options.cwd],
      ...["env", "-i", ...envArgs, ...shell],
    ]);
    const terminal = new Terminal(socket, confDir, options.shell, columns);
    await terminal.tmux("send-keys", "-t", "lesson", "-l", `PS1='${PROMPT[options.shell]}' PS2='${PROMPT_2}'`);
    await terminal.tmux("send-keys", "-t", "lesson", "Enter");
    for (let tries = 0; !(await terminal.screenLines()).some((line) => PROMPT_SHOWN.test(line)); tries++) {
      if (tries > 100) throw new Error(`${options.shell} showed no prompt in 10 s`);
      await sleep(100);
    }
    return terminal;
  }

  private tmux(...args: string[]) {
    return execa("tmux", ["-S", this.socket, ...args]);
  }

  /**
   * Types one command (lines joined by `\`-newlines are typed line by line) and waits for the next
   * prompt. When the command opens a program that asks for input (a shell in a container, psql),
   * each answer is typed once its prompt is the screen's last line, below where the last one was typed.
   */
  async type(command: string, timeoutMs: number, answers: readonly Answer[] = []): Promise<Screen> {
    const lines = command.split("\n");
    // One tmux call: clear the history, then each line and its Enter, as keystrokes.
    await this.tmux("clear-history", "-t", "lesson", ...lines.flatMap((line) => [";", ...typeLine(line)]));
    const deadline = Date.now() + timeoutMs;
    let answered = 0;
    let typedAt = -1;
    // Most commands end within a second: look soon, then every 100 ms.
    for (let wait = 10; ; wait = Math.min(wait * 2, 100)) {
      await sleep(wait);
      const screen = await this.screenLines();
      const output = afterEcho(screen, lines, this.columns) ?? [];
      const done = output.findIndex((line) => PROMPT_SHOWN.test(stripEscapes(line)));
      if (done >= 0) return screenOf(output.slice(0, done + 1));
      const answer = answers[answered];
      const last = output.findLastIndex((line) => stripEscapes(line).trim() !== "");
      if (answer && last > typedAt && answer.prompt.test(stripEscapes(output[last] ?? "").trimEnd())) {
        await this.tmux(...typeLine(answer.keys));
        answered++;
        typedAt = last;
        wait = 10;
      }
      if (Date.now() > deadline) {
        await this.tmux("send-keys", "-t", "lesson", "C-c");
        throw new Error(`no prompt after ${timeoutMs / 1000} s; the screen:\n${screen.map(stripEscapes).join("\n")}`);
      }
    }
  }

  /** Every line of the pane, history first, wrapped lines joined, with their colours (for zsh's partial-line mark). */
  private async screenLines(): Promise<string[]> {
    const { stdout } = await this.tmux("capture-pane", "-p", "-e", "-J", "-t", "lesson", "-S", "-");
    return stdout.split("\n");
  }

  async close(): Promise<void> {
    await execa("tmux", ["-S", this.socket, "kill-server"], { reject: false });
    rmSync(this.confDir, { recursive: true, force: true });
  }
}

/**
 * tmux arguments that type a line, then Enter. tmux reads an argument ending in `;` as the end of
 * a command (`SELECT 1;` would lose its `;`), unless the `;` is escaped.
 */
const typeLine = (line: string) => [
  ...["send-keys", "-t", "lesson", "-l", "--", line.replace(/;$/, "\\;")],
  ...[";", "send-keys", "-t", "lesson", "Enter"],
];

/**
 * The screen's lines after the last echo of the typed lines, or undefined
 * while the echo is not all there. The shell draws a long command over
 * several screen lines by itself, so the echo is found by its text with white
 * space and line breaks left out; output that starts on the echo's last
 * screen line (bash, when the command fills it to the last column) is kept.
 */
function afterEcho(screen: string[], typed: string[], columns: number): string[] | undefined {
  const compact = (text: string) => text.replace(/\s/g, "");
  const echo = compact(typed.join(PROMPT_2));
  const start = screen.findLastIndex((line) => {
    const prompt = ECHO_START.exec(stripEscapes(line));
    return prompt !== null && compact(prompt[1] ?? "").startsWith(compact(typed[0] ?? "").slice(0, 10));
  });
  if (start < 0) return undefined;
  let matched = 0;
  for (let index = start; index < screen.length; index++) {
    const text = stripEscapes(screen[index] ?? "");
    const from = index === start ? text.length - (ECHO_START.exec(text)?.[1]?.length ?? 0) : 0;
    for (let at = from; at < text.length; at++) {
      const char = text[at] as string;
      if (/\s/.test(char)) continue;
      if (char !== echo[matched]) return undefined;
      if (++matched < echo.length) continue;
      const rest = text.slice(at + 1);
      const after = screen.slice(index + 1);
      if (rest.trim() !== "") return [rest, ...after];
      // A line the echo fills to the last column leaves the cursor on an empty line of its own (zsh).
      return text.length >= columns && stripEscapes(after[0] ?? "") === "" ? after.slice(1) : after;
    }
  }
  return undefined;
}

/** The output lines and exit status from the lines after the command's echo, the last one holding the prompt. */
function screenOf(lines: string[]): Screen {
  const promptLine = stripEscapes(lines.at(-1) ?? "");
  const exitCode = Number(PROMPT_SHOWN.exec(promptLine)?.[1]);
  // bash puts the prompt right after output with no final newline; zsh marks that line and starts a new one.
  const beforePrompt = promptLine.replace(PROMPT_SHOWN, "");
  const output = lines.slice(0, -1).map((line) => stripEscapes(line.replace(ZSH_PARTIAL_LINE, "")));
  if (beforePrompt !== "") output.push(beforePrompt);
  while (output.at(-1)?.trim() === "") output.pop();
  return { exitCode, output: output.map((line) => line.trimEnd()).join("\n") };
}

const stripEscapes = (line: string) => line.replace(ESCAPES, "");
