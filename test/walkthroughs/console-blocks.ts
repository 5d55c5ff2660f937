import type { Code } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";

/**
 * The walkthroughs' executable format: fenced ```console blocks.
 *
 *   $ docker run --rm stockroom-restock   # exits 1
 *   restock: cannot read input file ...
 *
 * - `$ ` starts a command; a command line ending in ` \` continues on the next line,
 *   and so does a here-document (`cat > f <<'EOF'`): its lines, up to `EOF`, are typed too.
 * - The lines after a command, up to the next `$ `, are its expected output
 *   (stdout and stderr together, as a terminal shows them).
 * - In an expected line, `...` matches any text; a line that is only `...`
 *   matches any number of lines (also none). Otherwise every line must match,
 *   in order, with nothing extra; a command with no expected lines may print anything.
 * - A command must exit 0, unless its expected output ends with the line
 *   `(exit status N)`. It is not typed, so it never reaches the shell (zsh,
 *   macOS's shell, types a trailing `# comment` as arguments).
 * - A command that opens a program you type into (`docker run -it ... bash`,
 *   `psql`) shows that program's prompt and what you type after it, as the
 *   screen does: `root@...:/# node --version`, `stockroom=# \q`. Those lines
 *   are typed, each once its prompt shows, and then checked like the others.
 *   A prompt is a container's bash (`user@host:dir# ` or `$ `) or psql's
 *   (`database=# `); `...` in it matches the part that changes (the host).
 * Blocks in any other language (sh, text, yaml...) are shown, never run.
 */
export interface ConsoleCommand {
  command: string;
  expected: string[];
  exitCode: number;
  /** Line in the Markdown file where the command starts. */
  line: number;
  /** What is typed into the program the command opens, in order; absent when it opens none. */
  answers?: Answer[];
}

export interface Answer {
  /** The prompt to wait for, as a whole screen line. */
  prompt: RegExp;
  /** What is typed after it (then Enter). */
  keys: string;
}

/** A container's bash (`root@3f2a1b:/# `, `node@...:/app$ `) or psql (`stockroom=# `), then what is typed. */
const INTERACTIVE_PROMPT = /^([a-z_][\w-]*@[^\s:]+:\S*[#$]|[a-z_]\w*=[#>]) (.*)$/;

export interface ConsoleBlock {
  /** Line of the opening fence. */
  line: number;
  commands: ConsoleCommand[];
}

const EXIT_STATUS = /^\(exit status (\d+)\)$/;
/** `<<'EOF'`, `<<"EOF"` or `<<EOF` (not `<<<`): the word that ends the here-document. */
const HERE_DOC = /(?<!<)<<-?\s*['"]?(\w+)['"]?/;

export function parseConsoleBlocks(markdown: string): ConsoleBlock[] {
  const blocks: ConsoleBlock[] = [];
  const visit = (node: { type: string; children?: unknown[] }) => {
    if (node.type === "code" && (node as Code).lang === "console") blocks.push(parseBlock(node as Code));
    for (const child of node.children ?? []) visit(child as { type: string; children?: unknown[] });
  };
  visit(fromMarkdown(markdown));
  return blocks;
}

function parseBlock(code: Code): ConsoleBlock {
  const fenceLine = code.position?.start.line ?? 0;
  const lines = code.value.split("\n");
  const commands: ConsoleCommand[] = [];
  let continuing: ConsoleCommand | undefined;
  let hereDocEnd: string | undefined;
  lines.forEach((text, i) => {
    const line = fenceLine + 1 + i;
    if (continuing) {
      continuing.command += `\n${text}`;
      if (hereDocEnd !== undefined) {
        if (text === hereDocEnd) hereDocEnd = undefined;
      } else hereDocEnd = HERE_DOC.exec(text)?.[1];
      if (hereDocEnd === undefined && !text.endsWith("\\")) continuing = undefined;
      return;
    }
    if (text.startsWith("$ ")) {
      const command: ConsoleCommand = { command: text.slice(2), expected: [], exitCode: 0, line };
      commands.push(command);
      hereDocEnd = HERE_DOC.exec(text)?.[1];
      if (hereDocEnd !== undefined || text.endsWith("\\")) continuing = command;
      return;
    }
    const current = commands.at(-1);
    if (!current)
      throw new Error(`line ${line}: a console block must start with a "$ " command, got ${JSON.stringify(text)}`);
    current.expected.push(text);
  });
  if (continuing) {
    const what =
      hereDocEnd === undefined ? 'ends in "\\"' : `opens a here-document that no "${hereDocEnd}" line closes`;
    throw new Error(`line ${continuing.line}: the command ${what} but the block ends`);
  }
  for (const command of commands) {
    while (command.expected.at(-1)?.trim() === "") command.expected.pop();
    const answers = command.expected.flatMap((text) => {
      const typed = INTERACTIVE_PROMPT.exec(text);
      return typed ? [{ prompt: patternOf(`${typed[1]}`), keys: typed[2] as string }] : [];
    });
    if (answers.length > 0) command.answers = answers;
    const status = EXIT_STATUS.exec(command.expected.at(-1)?.trim() ?? "");
    if (status) {
      command.exitCode = Number(status[1]);
      command.expected.pop();
      while (command.expected.at(-1)?.trim() === "") command.expected.pop();
    }
  }
  return { line: fenceLine, commands };
}

export interface Mismatch {
  /** 1-based index into the expected lines (0 when output ran out or was left over). */
  expectedIndex: number;
  expected: string | undefined;
  actual: string | undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** An expected line as a regular expression: `...` matches any text. */
const patternOf = (pattern: string) => new RegExp(`^${pattern.trimEnd().split("...").map(escapeRegExp).join(".*")}$`);

const lineMatches = (pattern: string, actual: string) => patternOf(pattern).test(actual.trimEnd());

/** Matches output lines against expected lines; undefined when they match. */
export function matchOutput(expected: readonly string[], output: string): Mismatch | undefined {
  if (expected.length === 0) return undefined;
  const actual = output.replace(/\r/g, "").split("\n");
  while (actual.length > 0 && actual.at(-1)?.trim() === "") actual.pop();

  // Backtracking over "..." lines; expected blocks are short, so this stays cheap.
  let best: Mismatch | undefined;
  const attempt = (e: number, a: number): boolean => {
    if (e === expected.length) {
      if (a === actual.length) return true;
      best ??= { expectedIndex: 0, expected: undefined, actual: actual[a] };
      return false;
    }
    const pattern = expected[e] as string;
    if (pattern.trim() === "...") {
      for (let skip = a; skip <= actual.length; skip++) if (attempt(e + 1, skip)) return true;
      return false;
    }
    if (a < actual.length && lineMatches(pattern, actual[a] as string)) return attempt(e + 1, a + 1);
    if (!best || e + 1 > best.expectedIndex) best = { expectedIndex: e + 1, expected: pattern, actual: actual[a] };
    return false;
  };
  return attempt(0, 0) ? undefined : best;
}
