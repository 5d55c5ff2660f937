import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ListItem, Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { describe, expect, it } from "vitest";
import { lessonFiles, repoRoot } from "../support/repo.js";
import { parseConsoleBlocks } from "./console-blocks.js";
import { findPortabilityProblems, parseSimpleCommands } from "./portability.js";

// docs/workshop/cheatsheet.md against the lessons: every command family a
// lesson types is on it, everything on it is typed by a lesson, the lesson it
// names for each line types that command, and it prints on two pages.
//
// A command family is what a learner looks a command up by:
// - `docker` and its subcommand (`docker run`), and for a subcommand that
//   groups others one word more (`docker compose up`, `docker service update`).
//   Flags before a subcommand are skipped with their value (`-f file`, `-p name`,
//   `--profile x`), so `docker compose -f a.yml up` is `docker compose up`.
// - `npm` and its command, and for `npm run` the script (`npm run doctor`);
//   `npx` and the package it runs (`npx vitest`).
// - any other program: its name (`curl`).
// Every simple command of a line counts, as the shell splits it: after `|`, `&&`
// and `;`, inside `$(...)`, after `VAR=value`, the command `xargs` runs, and a
// `docker` that a docker command runs in a container (lesson 17's
// `docker exec <manager> docker node ls` teaches `docker node ls` too).

const SHEET = "docs/workshop/cheatsheet.md";
const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");

// The shell around the Docker commands, which the sheet leaves out: reading and
// filtering output, waiting and looping, making and undoing a lesson's edit
// (`perl -pi`, `git checkout --`), and values for another command (`id -u` for
// `--user`, `node -e` reading JSON). A learner knows them from any terminal, or
// reads them where the lesson uses them; the sheet's two pages are for what the
// workshop teaches. A program that is in neither this list nor the sheet fails
// the test below, so a lesson that brings a new one decides where it goes.
const SHELL_HELPERS = new Set(
  "[ awk break cat cd cp cut date diff echo export git grep head id kill ls mkdir node perl printf rm sed seq sleep sort tail tar tee test touch tr true uniq wait wc".split(
    " ",
  ),
);
/** docker subcommands that group others: their family takes one more word. */
const COMMAND_GROUPS = new Set(
  "builder buildx compose config container context image manifest network node plugin secret service stack swarm system trust volume".split(
    " ",
  ),
);
/** Flags that take the next word as their value: docker's, docker compose's and npm's global ones, and xargs'. */
const FLAGS_WITH_VALUE = new Set(
  "-H --host -c --context --config -l --log-level -f --file -p --project-name --profile --env-file --project-directory --ansi --progress --parallel -w --workspace -n -I -L -P".split(
    " ",
  ),
);

/** The index of the first word from `from` on that is neither a flag nor a flag's value. */
function skipFlags(words: readonly string[], from: number): number {
  let at = from;
  while (words[at]?.startsWith("-")) at += FLAGS_WITH_VALUE.has(words[at] as string) ? 2 : 1;
  return at;
}

/** The families one simple command teaches, from its words as the shell passes them. */
function familiesOf(words: readonly string[]): string[] {
  const start = words.findIndex((word) => !/^[A-Za-z_]\w*=/.test(word));
  if (start === -1) return [];
  const [program = "", ...args] = words.slice(start);
  if (program === "xargs") return familiesOf(args.slice(skipFlags(args, 0)));
  if (SHELL_HELPERS.has(program)) return [];
  const first = skipFlags(args, 0);
  if (program === "docker") {
    let at = first;
    let family = ["docker", args[at]];
    if (COMMAND_GROUPS.has(args[at] ?? "")) {
      at = skipFlags(args, at + 1);
      family = [...family, args[at]];
    }
    const inner = args.indexOf("docker", at + 1);
    const own = family.filter(Boolean).join(" ");
    return inner === -1 ? [own] : [own, ...familiesOf(args.slice(inner))];
  }
  if (program === "npm" && args[first] === "run") return [`npm run ${args[skipFlags(args, first + 1)] ?? ""}`.trim()];
  if (program === "npm" || program === "npx") return [[program, args[first]].filter(Boolean).join(" ")];
  return [program];
}

const familiesIn = (command: string) =>
  parseSimpleCommands(command).commands.flatMap((simple) => familiesOf(simple.words));

/** Each family the lessons' ```console blocks type, with the lessons that type it. */
function taughtFamilies(): Map<string, number[]> {
  const taught = new Map<string, number[]>();
  lessonFiles.forEach((file, index) => {
    for (const block of parseConsoleBlocks(read(`docs/workshop/${file}`)))
      for (const { command } of block.commands)
        for (const family of familiesIn(command)) {
          const lessons = taught.get(family) ?? [];
          if (!lessons.includes(index + 1)) taught.set(family, [...lessons, index + 1]);
        }
  });
  return taught;
}

/** One line of the sheet: "- `command`: what it does (6)". */
interface SheetLine {
  line: number;
  /** The command as typed, `<placeholders>` made plain words; undefined when the line does not start with one. */
  command: string | undefined;
  /** The lessons in its closing parentheses. */
  lessons: number[];
}

function sheetLines(markdown: string): SheetLine[] {
  const lines: SheetLine[] = [];
  const lineOf = (item: ListItem): SheetLine => {
    const paragraph = item.children[0];
    const [first, ...rest] = paragraph?.type === "paragraph" ? paragraph.children : [];
    const said = rest.map((node) => ("value" in node ? node.value : "")).join("");
    const cited = /\((\d+(?:, \d+)*)\)$/.exec(said.trim())?.[1];
    return {
      line: item.position?.start.line ?? 0,
      command: first?.type === "inlineCode" ? first.value.replace(/<([^<>\s]+)>/g, "$1") : undefined,
      lessons: cited ? cited.split(", ").map(Number) : [],
    };
  };
  const visit = (node: Nodes) => {
    if (node.type === "listItem") lines.push(lineOf(node));
    else if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(fromMarkdown(markdown));
  return lines;
}

const lessonList = (lessons: readonly number[]) => `lesson${lessons.length > 1 ? "s" : ""} ${lessons.join(", ")}`;

describe("command families", () => {
  it("names each command a line runs by its program and subcommands, past flags, pipes and $(...)", () => {
    const cases: Record<string, string[]> = {
      "docker compose -f a.yml -p demo --profile tools up -d --wait": ["docker compose up"],
      "docker build -t x -f apps/api/Dockerfile .": ["docker build"],
      "for i in $(seq 3); do [ \"$(docker ps -q | wc -l | tr -d ' ')\" = 3 ] && break; sleep 1; done": ["docker ps"],
      "docker exec manager docker node ls --format '{{.Status}}'": ["docker exec", "docker node ls"],
      "npm run --silent swarm:stack-file | docker stack deploy -c - demo": [
        "npm run swarm:stack-file",
        "docker stack deploy",
      ],
      "WEBAPP_HOST_PORT=eighty npm run doctor": ["npm run doctor"],
      "docker images -q | sort | xargs docker rmi": ["docker images", "docker rmi"],
      "npx vitest run --project unit test/workflows": ["npx vitest"],
      "curl -s http://localhost:8080/ | grep -o 'Total'; echo": ["curl"],
    };
    const found = Object.fromEntries(Object.keys(cases).map((command) => [command, familiesIn(command)]));
    expect(found).toEqual(cases);
  });
});

describe(SHEET, () => {
  const sheet = read(SHEET);
  const lines = sheetLines(sheet);
  const taught = taughtFamilies();

  it("every command family the lessons teach is on the cheat sheet, and every family on it is taught in a lesson", () => {
    const onSheet = new Map<string, number>();
    for (const { command, line } of lines)
      for (const family of familiesIn(command ?? "")) if (!onSheet.has(family)) onSheet.set(family, line);
    const problems = [
      ...[...taught]
        .filter(([family]) => !onSheet.has(family))
        .map(([family, lessons]) => `${family} (${lessonList(lessons)}) is taught but not on ${SHEET}`),
      ...[...onSheet]
        .filter(([family]) => !taught.has(family))
        .map(([family, line]) => `${family} (${SHEET}:${line}) is on the sheet but in no lesson's console blocks`),
    ];
    expect(problems).toEqual([]);
  });

  it("gives each command on its own line, with a lesson that types it", () => {
    const problems = lines.flatMap(({ command, lessons, line }) => {
      if (command === undefined || lessons.length === 0)
        return [`${SHEET}:${line}: write "- \`command\`: what it does (lesson)"`];
      return familiesIn(command)
        .filter((family) => !lessons.some((lesson) => taught.get(family)?.includes(lesson)))
        .map((family) => {
          const where = taught.get(family);
          return `${SHEET}:${line}: ${family} is not typed in ${lessonList(lessons)}${where ? `, but in ${lessonList(where)}` : ""}`;
        });
    });
    expect(lines.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("types every command as zsh on a Mac and bash in WSL2 run it, as the lessons do", () => {
    const commands = lines.flatMap(({ command }) => (command === undefined ? [] : [command]));
    const asLesson = ["```console", ...commands.map((command) => `$ ${command}`), "```"].join("\n");
    // Line 1 is the fence, so command i is on line i + 2.
    const problems = findPortabilityProblems(SHEET, asLesson).map(
      (finding) => `${commands[finding.line - 2]}: ${finding.reason}`,
    );
    expect(problems).toEqual([]);
  });

  // Printed as it is at 10 pt in a monospace font (6 pt a character, 12 pt a
  // line) with half-inch margins, an A4 page holds 64 lines of 87 characters
  // and a Letter page 60 lines of 90. Two pages, less the header and footer a
  // browser or an editor prints on each: 110 lines, none over 87 characters.
  it("fits two printed pages: at most 110 lines, none over 87 characters", () => {
    const text = sheet.trimEnd().split("\n");
    const tooLong = text.flatMap((line, i) => (line.length > 87 ? [`line ${i + 1}: ${line.length} characters`] : []));
    expect(text.length).toBeLessThanOrEqual(110);
    expect(tooLong).toEqual([]);
  });
});
