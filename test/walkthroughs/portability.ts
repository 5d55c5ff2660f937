import { parseConsoleBlocks } from "./console-blocks.js";

/**
 * What a lesson's commands do differently on a learner's terminal than in CI:
 * a Mac's zsh with BSD tools, or Git Bash on Windows. CI runs bash on Linux
 * with GNU tools, where all of these work, so only reading the commands finds them.
 *
 * Only commands the host runs count. Whatever runs in a container
 * (`docker run IMAGE CMD`, `docker compose exec SERVICE CMD`, a quoted
 * `sh -c '...'` passed to them) is an argument of `docker` here, and Linux runs it.
 */
export type Rule = "host-tool" | "padded-count" | "comment" | "history-expansion" | "redirect-order";

export interface Finding {
  lesson: string;
  line: number;
  rule: Rule;
  reason: string;
}

/**
 * Commands a stock Mac (macOS with its BSD tools) does not have. The
 * walkthroughs' Mac-like PATH leaves them out too (learner-machine.ts).
 */
export const MISSING_ON_MAC: Readonly<Record<string, string>> = {
  timeout: "`timeout` is GNU coreutils: a stock Mac has none (loop with `sleep` and a count instead)",
  getent: "`getent` is glibc's: neither macOS nor Git Bash has it (run it inside a container)",
  nproc: "`nproc` is GNU coreutils: a stock Mac has none (`getconf _NPROCESSORS_ONLN` works on both)",
  tac: "`tac` is GNU coreutils: a stock Mac has none (`tail -r` there)",
  shuf: "`shuf` is GNU coreutils: a stock Mac has none",
  free: "`free` is Linux's procps: neither macOS nor Git Bash has it",
  watch: "`watch` is Linux's procps: a stock Mac has none",
  ss: "`ss` is Linux's iproute2: neither macOS nor Git Bash has it",
  ip: "`ip` is Linux's iproute2: macOS has `ifconfig`, Git Bash neither",
  wget: "`wget` is not on a stock Mac: use `curl`",
  envsubst: "`envsubst` is GNU gettext's: a stock Mac has none",
  setsid: "`setsid` is util-linux's: a stock Mac has none",
  flock: "`flock` is util-linux's: a stock Mac has none",
};

/** Flags that GNU tools take and BSD ones lack or read another way. `flag` sees one word. */
const FLAGS: { command: string; flag: RegExp; reason: string }[] = [
  // macOS's sed reads the word after -i as a backup suffix, GNU's reads `-i ''`'s '' as the script.
  { command: "sed", flag: /^(-[a-zA-Z]*i|--in-place.*)$/, reason: "`sed -i` with no suffix: use `perl -pi -e`" },
  { command: "grep", flag: /^-[a-zA-Z]*P[a-zA-Z]*$/, reason: "`grep -P`: macOS's grep has no Perl regexes" },
  { command: "date", flag: /^(-[a-zA-Z]*d|--date)/, reason: "`date -d`: macOS's date parses with -j -f" },
  { command: "stat", flag: /^(-[a-zA-Z]*c|--format|--printf)/, reason: "`stat -c`: macOS's stat says -f" },
  { command: "readlink", flag: /^-[a-zA-Z]*f$/, reason: "`readlink -f`: macOS before 12.3 has no -f" },
  { command: "base64", flag: /^(-[a-zA-Z]*w|--wrap)/, reason: "`base64 -w`: macOS's base64 wraps with -b" },
  { command: "netstat", flag: /^-[a-zA-Z]*p/, reason: "`netstat -p`: on macOS and Windows, -p names a protocol" },
];

/** BSD versions of these read only short options: `sort --unique` is a file name on a Mac. (grep has both.) */
const SHORT_OPTIONS_ONLY = new Set(
  "base64 cat cp cut date df du head ln ls mkdir mktemp mv readlink rm sed seq sort stat tail tee touch tr uniq wc xargs".split(
    " ",
  ),
);

const PADDED_WC =
  "`wc` pads its count on macOS (`       3`), which the lesson shows or compares untrimmed; end with `| tr -d ' '`, or count with `grep -c .`";
const PADDED_UNIQ =
  "`uniq -c` pads its counts to another width on macOS (`   3 x`, not `      3 x`), which the lesson shows as they are";
const COMMENT =
  "a `#` comment on the command line: zsh (macOS's shell) without `interactivecomments` types it as arguments";
const HISTORY =
  "a `!` outside single quotes: an interactive bash or zsh reads it as history expansion (`event not found`); single-quote it";

// `2>&1 >file | next`: bash sends only stderr on; zsh (MULTIOS, on by default)
// sends stdout to the file *and* on, so `next` sees both.
const COPIED_REDIRECT = /2>&1\s+(1?>|>>)\s*[^\s|&;]+[^|;&]*\|/;
const MULTIOS =
  "`2>&1 >file |`: zsh copies standard output to every place it is redirected, so the pipe gets it too; write `{ cmd >file; } 2>&1 |`";

/** Where a command's output goes once nothing after it in its pipeline reads it. */
type Output = "screen" | "quoted" | "unquoted" | "arithmetic";

/** One simple command: its words with quotes removed, as the shell runs it. */
export interface SimpleCommand {
  words: string[];
  /** Line within the command's text (0 for its first line). */
  line: number;
  /** Followed by `|`: the next command reads its output. */
  piped: boolean;
  /** Its standard output goes to a file (`>`, `>>`). */
  redirected: boolean;
  /** Where its output lands otherwise: the screen, or the `$(...)` it is in. */
  output: Output;
}

interface Hazard {
  line: number;
  rule: Rule;
  reason: string;
}

const KEYWORDS = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "{", "}", "!", "time"]);
const WRAPPERS = new Set(["command", "exec", "nohup", "sudo", "env"]);

/**
 * Splits a command into the simple commands the shell runs: at `|`, `&&`, `||`,
 * `;`, `&`, newlines and parentheses, and into `$(...)`, `$((...))` and backquotes,
 * with bash's quoting rules. Enough shell for the lessons (loops, `if`, `[ ]`,
 * substitutions in double quotes, `<(...)`, here-documents, whose lines are skipped); not `case` or `${...}`
 * that nest.
 * A hand-written lexer: shell-quote and friends drop the quoting this needs
 * (a `!` or `#` matters only outside single quotes, `$(...)` only outside them).
 */
export function parseSimpleCommands(text: string): { commands: SimpleCommand[]; hazards: Hazard[] } {
  const commands: SimpleCommand[] = [];
  const hazards: Hazard[] = [];
  let i = 0;
  let line = 0;

  const historyAt = () => {
    const next = text[i + 1];
    if (next !== undefined && !/[\s=(]/.test(next)) hazards.push({ line, rule: "history-expansion", reason: HISTORY });
  };

  /** Reads `$...` at i and returns what the word gets (a substitution's own commands are recorded). */
  const dollar = (quoted: boolean): string => {
    const start = i;
    if (text.startsWith("$((", i)) {
      i += 3;
      let depth = 0;
      while (i < text.length && !(depth === 0 && text.startsWith("))", i))) {
        if (text.startsWith("$(", i) && !text.startsWith("$((", i)) {
          i += 2;
          list("arithmetic", ")");
          continue;
        }
        if (text[i] === "(") depth++;
        if (text[i] === ")") depth--;
        if (text[i] === "\n") line++;
        i++;
      }
      i += 2;
    } else if (text.startsWith("$(", i)) {
      i += 2;
      list(quoted ? "quoted" : "unquoted", ")");
    } else if (text.startsWith("${", i)) {
      i = text.indexOf("}", i) + 1 || text.length;
    } else {
      // $name, $1, and the special parameters: `$!` is not history expansion.
      i += /^\$([A-Za-z_]\w*|[0-9!?$#@*-])/.exec(text.slice(i))?.[0].length ?? 1;
    }
    return text.slice(start, i);
  };

  const backquote = (quoted: boolean): string => {
    const start = i++;
    list(quoted ? "quoted" : "unquoted", "`");
    return text.slice(start, i);
  };

  /** Reads commands up to `closer` (consumed) or the end of the text. */
  const list = (output: Output, closer: ")" | "`" | undefined) => {
    let words: string[] = [];
    let word: string | undefined;
    let first = line;
    let redirected = false;
    let redirectTarget = false;
    let parens = 0;
    /** The words ending the here-documents opened on this line, read from the next one. */
    const hereDocs: string[] = [];
    const add = (part: string) => {
      if (word === undefined && words.length === 0) first = line;
      word = (word ?? "") + part;
    };
    const endWord = () => {
      if (word !== undefined && !redirectTarget) words.push(word);
      else if (word !== undefined) redirectTarget = false;
      word = undefined;
    };
    const endCommand = (operator: string) => {
      endWord();
      while (words.length > 0 && KEYWORDS.has(words[0] as string)) words = words.slice(1);
      if (words[0] !== "for" && words[0] !== "case" && words.length > 0)
        commands.push({ words, line: first, piped: operator === "|" || operator === "|&", redirected, output });
      words = [];
      redirected = false;
    };

    while (i < text.length) {
      const c = text[i] as string;
      if (c === closer && (closer === "`" || parens === 0)) {
        i++;
        endCommand(c);
        return;
      }
      if (c === "\\") {
        if (text[i + 1] === "\n") line++;
        else add(text[i + 1] ?? "");
        i += 2;
      } else if (c === "'") {
        const end = text.indexOf("'", i + 1);
        const quotedText = text.slice(i + 1, end === -1 ? text.length : end);
        line += quotedText.split("\n").length - 1;
        add(quotedText);
        i = end === -1 ? text.length : end + 1;
      } else if (c === '"') {
        add("");
        i++;
        while (i < text.length && text[i] !== '"') {
          const d = text[i] as string;
          if (d === "\\" && text[i + 1] === "\n") {
            i += 2;
            line++;
          } else if (d === "\\" && /[$`"\\]/.test(text[i + 1] ?? "")) {
            add(text[i + 1] as string);
            i += 2;
          } else if (d === "$") add(dollar(true));
          else if (d === "`") add(backquote(true));
          else {
            if (d === "!") historyAt();
            if (d === "\n") line++;
            add(d);
            i++;
          }
        }
        i++;
      } else if (c === "$") add(dollar(false));
      else if (c === "`") add(backquote(false));
      else if (c === "#" && word === undefined) {
        hazards.push({ line, rule: "comment", reason: COMMENT });
        while (i < text.length && text[i] !== "\n") i++;
      } else if (c === " " || c === "\t") {
        endWord();
        i++;
      } else if (c === "\n") {
        endCommand(";");
        line++;
        i++;
        // A here-document's lines are the command's input, not commands: skip to the line ending it.
        for (const end of hereDocs.splice(0)) {
          while (i < text.length) {
            const next = text.indexOf("\n", i);
            const bodyLine = text.slice(i, next === -1 ? text.length : next);
            i = next === -1 ? text.length : next + 1;
            line++;
            if (bodyLine === end) break;
          }
        }
      } else if ((c === "<" || c === ">") && text[i + 1] === "(") {
        // Process substitution, `diff <(cmd) file`: the command's output is read as a file's.
        i += 2;
        list("quoted", ")");
        add("/dev/fd/63");
      } else if (c === "<" || c === ">") {
        // A redirection: `2>&1` and `>&2` name a descriptor, the others a file (not an argument).
        const fd = word !== undefined && /^\d+$/.test(word) ? word : undefined;
        if (fd !== undefined) word = undefined;
        endWord();
        const operator = /^(<<<|<<|>>|<>|>\||[<>]&[0-9-]?|<|>)/.exec(text.slice(i))?.[0] ?? c;
        if (operator.startsWith(">") && (fd === undefined || fd === "1")) redirected = true;
        redirectTarget = !/&[0-9-]$/.test(operator);
        i += operator.length;
        if (operator === "<<") {
          const hereDoc = /^-?\s*['"]?(\w+)['"]?/.exec(text.slice(i));
          if (hereDoc) {
            hereDocs.push(hereDoc[1] as string);
            i += hereDoc[0].length;
            redirectTarget = false;
          }
        }
      } else if ("|&;()".includes(c)) {
        const operator = /^(&&|\|\||;;|\|&|&>>|&>|[|&;()])/.exec(text.slice(i))?.[0] as string;
        i += operator.length;
        if (operator.startsWith("&>")) {
          endWord();
          redirected = true;
          redirectTarget = true;
          continue;
        }
        if (operator === "(") parens++;
        if (operator === ")") parens--;
        endCommand(operator);
      } else {
        if (c === "!") historyAt();
        add(c);
        i++;
      }
    }
    endCommand(";");
  };

  list("screen", undefined);
  return { commands, hazards };
}

/** The command a wrapper runs (`env X=1 cmd`, `xargs -n1 cmd`), and the host shell code in `sh -c '...'`. */
function hostCommands(command: SimpleCommand): SimpleCommand[] {
  let words = command.words;
  while (/^[A-Za-z_]\w*=/.test(words[0] ?? "") || WRAPPERS.has(words[0] ?? "")) {
    words = words.slice(1);
    while (words[0]?.startsWith("-")) words = words.slice(1);
  }
  const name = words[0]?.split("/").at(-1);
  if (name === "xargs") {
    let at = 1;
    while (words[at]?.startsWith("-")) at += /^-[IJLnPsEdRS]$/.test(words[at] as string) ? 2 : 1;
    const own = { ...command, words: words.slice(0, at) };
    return words.length > at ? [own, ...hostCommands({ ...command, words: words.slice(at) })] : [own];
  }
  const script = words.indexOf("-c");
  if ((name === "sh" || name === "bash" || name === "zsh") && script > 0 && words[script + 1] !== undefined) {
    const inner = parseSimpleCommands(words[script + 1] as string).commands;
    return inner.flatMap((c) => hostCommands({ ...c, line: command.line + c.line, output: command.output }));
  }
  return [{ ...command, words }];
}

/** What one simple command the host runs does differently on a Mac or in Git Bash. */
function checkHostCommand(command: SimpleCommand, showsOutput: boolean): { rule: Rule; reason: string }[] {
  const [path = "", ...args] = command.words;
  const name = path.split("/").at(-1) ?? "";
  const problems: { rule: Rule; reason: string }[] = [];
  const missing = MISSING_ON_MAC[name];
  if (missing) problems.push({ rule: "host-tool", reason: missing });
  for (const rule of FLAGS) {
    if (rule.command === name && args.some((arg) => rule.flag.test(arg)))
      problems.push({ rule: "host-tool", reason: rule.reason });
  }
  const longOption = args.find((arg) => /^--\w/.test(arg));
  if (SHORT_OPTIONS_ONLY.has(name) && longOption)
    problems.push({ rule: "host-tool", reason: `\`${name} ${longOption}\`: macOS's ${name} reads only short options` });

  const counts = name === "wc" || (name === "uniq" && args.some((arg) => /^(-[a-zA-Z]*c[a-zA-Z]*|--count)$/.test(arg)));
  const seenAsIs = command.output === "quoted" || (command.output === "screen" && showsOutput);
  if (counts && seenAsIs && !command.piped && !command.redirected)
    problems.push({ rule: "padded-count", reason: name === "wc" ? PADDED_WC : PADDED_UNIQ });
  return problems;
}

/** Every portability problem in a lesson's ```console blocks, with its line in the file. */
export function findPortabilityProblems(lesson: string, markdown: string): Finding[] {
  const findings: Finding[] = [];
  for (const block of parseConsoleBlocks(markdown)) {
    for (const command of block.commands) {
      // An expected line that does not start with `...` shows the output as it is, padding and all.
      const showsOutput = command.expected.some((line) => line.trim() !== "" && !line.startsWith("..."));
      const { commands, hazards } = parseSimpleCommands(command.command);
      const problems = [
        ...hazards,
        ...commands
          .flatMap(hostCommands)
          .flatMap((simple) =>
            checkHostCommand(simple, showsOutput).map((problem) => ({ ...problem, line: simple.line })),
          ),
      ];
      for (const problem of problems) findings.push({ lesson, ...problem, line: command.line + problem.line });
      if (COPIED_REDIRECT.test(command.command))
        findings.push({ lesson, line: command.line, rule: "redirect-order", reason: MULTIOS });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}
