import type { Answer, ConsoleBlock, ConsoleCommand } from "./console-blocks.js";
import { matchOutput } from "./console-blocks.js";
import type { Screen, Terminal } from "./terminal.js";

// A command may build images or wait for a swarm: minutes, never longer than this.
const COMMAND_TIMEOUT_MS = 10 * 60_000;

export interface LessonRun {
  /** Why the lesson does not match its screen; undefined when every command did. */
  failure: string | undefined;
  /** Seconds spent waiting for commands, for the instructor guide's timings. */
  commandSeconds: number;
  /** The commands that took 5 seconds or more, with their seconds: where a lesson's time goes. */
  slow: string[];
}

/**
 * Types a lesson's console blocks into the terminal, in order, and compares
 * each screen with the lesson. It stops at the first difference, then still
 * types the last block (the lesson's clean-up), so one broken lesson does not
 * break the next. `rewrite` changes each command and expected line the way a
 * learner is told to (a port moved off 8080).
 */
export async function runLesson(
  lesson: string,
  blocks: ConsoleBlock[],
  terminal: Terminal,
  rewrite: (text: string) => string = (text) => text,
): Promise<LessonRun> {
  const started = performance.now();
  let failure: string | undefined;
  let failedBlock = -1;
  const slow: string[] = [];
  for (const [index, block] of blocks.entries()) {
    for (const original of block.commands) {
      const command = { ...original, command: rewrite(original.command), expected: original.expected.map(rewrite) };
      const typed = performance.now();
      const screen = await typeCommand(terminal, command.command, command.answers);
      const seconds = (performance.now() - typed) / 1000;
      if (seconds >= 5) slow.push(`${seconds.toFixed(0)} s  line ${command.line}: ${command.command.slice(0, 100)}`);
      failure = describeFailure(lesson, terminal.shell, block, command, screen);
      if (failure) break;
    }
    if (failure) {
      failedBlock = index;
      break;
    }
  }
  const cleanUp = blocks.at(-1);
  if (failure && cleanUp && failedBlock !== blocks.length - 1) {
    for (const command of cleanUp.commands) await typeCommand(terminal, rewrite(command.command));
  }
  return { failure, commandSeconds: (performance.now() - started) / 1000, slow };
}

async function typeCommand(terminal: Terminal, command: string, answers: readonly Answer[] = []): Promise<Screen> {
  try {
    return await terminal.type(command, COMMAND_TIMEOUT_MS, answers);
  } catch (err) {
    return { exitCode: -1, output: err instanceof Error ? err.message : String(err) };
  }
}

/** Why a command's screen does not match the lesson, or undefined when it does. */
export function describeFailure(
  lesson: string,
  shell: string,
  block: ConsoleBlock,
  command: ConsoleCommand,
  screen: Screen,
): string | undefined {
  const where = `${lesson} (${shell}), block at line ${block.line}, command at line ${command.line}: $ ${command.command}`;
  if (screen.exitCode !== command.exitCode) {
    return `${where}\n  exited ${screen.exitCode}, the lesson says ${command.exitCode}\n  screen:\n${indent(screen.output)}`;
  }
  const mismatch = matchOutput(command.expected, screen.output);
  if (!mismatch) return undefined;
  const what =
    mismatch.expected === undefined
      ? `  unexpected extra line: ${JSON.stringify(mismatch.actual)}`
      : `  expected line ${mismatch.expectedIndex}: ${JSON.stringify(mismatch.expected)}\n  got:             ${mismatch.actual === undefined ? "(no more output)" : JSON.stringify(mismatch.actual)}`;
  return `${where}\n${what}\n  screen:\n${indent(screen.output)}`;
}

const indent = (text: string) =>
  text
    .split("\n")
    .slice(-80)
    .map((line) => `    | ${line}`)
    .join("\n");
