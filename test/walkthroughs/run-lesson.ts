import { execa } from "execa";
import type { ConsoleBlock, ConsoleCommand } from "./console-blocks.js";
import { matchOutput } from "./console-blocks.js";

export interface CommandRun {
  exitCode: number;
  output: string;
}

/** Runs one lesson command as a learner would, from the repo root, in bash with pipefail. */
export async function runCommand(command: string, cwd: string): Promise<CommandRun> {
  const result = await execa("bash", ["-o", "pipefail", "-c", command], {
    cwd,
    all: true,
    reject: false,
    stdin: "ignore",
    timeout: 600_000,
    env: { DOCKER_CLI_HINTS: "false", BUILDKIT_PROGRESS: "plain", NO_COLOR: "1" },
  });
  return { exitCode: result.exitCode ?? 1, output: result.all ?? "" };
}

/** Why a command's run does not match the lesson, or undefined when it does. */
export function describeFailure(
  lesson: string,
  block: ConsoleBlock,
  command: ConsoleCommand,
  run: CommandRun,
): string | undefined {
  const where = `${lesson}, block at line ${block.line}, command at line ${command.line}: $ ${command.command}`;
  if (run.exitCode !== command.exitCode) {
    return `${where}\n  exited ${run.exitCode}, the lesson says ${command.exitCode}\n  output:\n${indent(run.output)}`;
  }
  const mismatch = matchOutput(command.expected, run.output);
  if (!mismatch) return undefined;
  const what =
    mismatch.expected === undefined
      ? `  unexpected extra line: ${JSON.stringify(mismatch.actual)}`
      : `  expected line ${mismatch.expectedIndex}: ${JSON.stringify(mismatch.expected)}\n  got:             ${mismatch.actual === undefined ? "(no more output)" : JSON.stringify(mismatch.actual)}`;
  return `${where}\n${what}\n  output:\n${indent(run.output)}`;
}

const indent = (text: string) =>
  text
    .split("\n")
    .slice(0, 60)
    .map((line) => `    | ${line}`)
    .join("\n");
