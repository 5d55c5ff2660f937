import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lessonFiles, repoRoot } from "../support/repo.js";
import type { Finding, Rule } from "./portability.js";
import { findPortabilityProblems, parseSimpleCommands } from "./portability.js";

/** A lesson made of one console block holding these lines. */
const lesson = (...lines: string[]) => ["# A lesson", "", "```console", ...lines, "```"].join("\n");
/** The findings for a sample, as "line rule"; the sample's first command is on line 4. */
const problemsIn = (markdown: string) =>
  findPortabilityProblems("sample.md", markdown).map((finding) => `${finding.line} ${finding.rule}`);

describe("parseSimpleCommands", () => {
  it("splits pipelines, lists, loops and substitutions into the commands the shell runs", () => {
    const { commands } = parseSimpleCommands(
      `for i in $(seq 3); do [ "$(docker ps -q | wc -l)" = 3 ] && break; sleep 1; done | sort -u > out.txt 2>&1`,
    );
    expect(commands.map((c) => [c.words.join(" "), c.output, c.piped, c.redirected])).toEqual([
      ["seq 3", "unquoted", false, false],
      ["docker ps -q", "quoted", true, false],
      ["wc -l", "quoted", false, false],
      ["[ $(docker ps -q | wc -l) = 3 ]", "screen", false, false],
      ["break", "screen", false, false],
      ["sleep 1", "screen", false, false],
      ["sort -u", "screen", false, true],
    ]);
  });

  it("reads the commands inside a process substitution", () => {
    const { commands } = parseSimpleCommands("diff <(docker compose -f a.yaml config) <(sort b) && echo same");
    expect(commands.map((c) => c.words.join(" "))).toEqual([
      "docker compose -f a.yaml config",
      "sort b",
      "diff /dev/fd/63 /dev/fd/63",
      "echo same",
    ]);
  });

  it("reads a here-document's lines as the command's input, not as commands", () => {
    const { commands, hazards } = parseSimpleCommands(
      "cat > compose.yaml <<'EOF'\nservices: # a comment\n  api: !reset\nEOF\nls",
    );
    expect(commands.map((c) => c.words.join(" "))).toEqual(["cat", "ls"]);
    expect(hazards).toEqual([]);
  });

  it("keeps quoted text whole and counts the lines of a continued command", () => {
    const { commands } = parseSimpleCommands(`printf 'a | b; c' \\\n  | node -e "x \\"y\\" $(id -u)"`);
    expect(commands.map((c) => [c.words, c.line])).toEqual([
      [["printf", "a | b; c"], 0],
      [["id", "-u"], 1],
      [["node", "-e", 'x "y" $(id -u)'], 1],
    ]);
  });
});

describe("findPortabilityProblems", () => {
  it("rejects a host command a Mac lacks, and names the lesson and the line", () => {
    const findings = findPortabilityProblems("docs/workshop/99-x.md", lesson("$ echo ok", "$ getent hosts api"));
    expect(findings).toEqual<Finding[]>([
      { lesson: "docs/workshop/99-x.md", line: 5, rule: "host-tool", reason: expect.stringMatching(/^`getent`/) },
    ]);
  });

  it("accepts the same command inside a container, but not a substitution the host expands for it", () => {
    expect(problemsIn(lesson("$ docker compose exec webapp getent hosts api"))).toEqual([]);
    expect(problemsIn(lesson("$ docker run --rm node:26-trixie-slim sh -c 'timeout 1 true'"))).toEqual([]);
    expect(problemsIn(lesson(`$ docker run --rm node:26-trixie-slim echo "$(nproc)"`))).toEqual(["4 host-tool"]);
  });

  it("looks into host shells, xargs and env", () => {
    expect(problemsIn(lesson("$ sh -c 'tac file'", "$ ls | xargs -n1 timeout 1", "$ X=1 env tac file"))).toEqual([
      "4 host-tool",
      "5 host-tool",
      "6 host-tool",
    ]);
  });

  it("rejects GNU-only flags and long options, and accepts the portable forms", () => {
    expect(
      problemsIn(
        lesson("$ sed -i 's/a/b/' f", "$ grep -oP 'x' f", "$ date -d yesterday", "$ stat -c %s f", "$ sort --unique f"),
      ),
    ).toEqual(["4 host-tool", "5 host-tool", "6 host-tool", "7 host-tool", "8 host-tool"]);
    expect(
      problemsIn(lesson("$ perl -pi -e 's/a/b/' f", "$ sed -i.bak 's/a/b/' f", "$ grep -oE 'x' f", "$ sort -u -- f")),
    ).toEqual([]);
  });

  it("rejects a wc count shown or compared untrimmed, and accepts it trimmed", () => {
    expect(problemsIn(lesson("$ ls | wc -l", "3"))).toEqual(["4 padded-count"]);
    expect(problemsIn(lesson(`$ [ "$(ls | wc -l)" = 3 ] && echo three`, "three"))).toEqual(["4 padded-count"]);
    expect(
      problemsIn(
        lesson(
          "$ ls | wc -l | tr -d ' '",
          "3",
          "$ ls | grep -c .",
          "3",
          `$ [ "$(( $(ls | wc -l) ))" = 3 ] && echo three`,
          "three",
          "$ ls | wc -l",
          "...",
          "$ ls | wc -l > count.txt",
        ),
      ),
    ).toEqual([]);
  });

  it("rejects uniq -c counts shown with their padding", () => {
    expect(problemsIn(lesson("$ sort f | uniq -c", "      3 api"))).toEqual(["4 padded-count"]);
    expect(problemsIn(lesson("$ sort f | uniq -c", "...3 api"))).toEqual([]);
  });

  it("rejects a # comment on the command line, wherever it starts", () => {
    expect(problemsIn(lesson("$ false   # exits 1", "$ curl -s http://x \\", "  # a note"))).toEqual([
      "4 comment",
      "6 comment",
    ]);
    expect(problemsIn(lesson("$ grep -v '^#' f", '$ echo "#" a#b $#'))).toEqual([]);
  });

  it("rejects a ! that bash or zsh would expand from history", () => {
    expect(problemsIn(lesson('$ echo "Hello!"', "$ echo hi!x"))).toEqual([
      "4 history-expansion",
      "5 history-expansion",
    ]);
    expect(problemsIn(lesson("$ echo 'Hello!'", "$ sleep 1 & echo $!", "$ [ ! -f x ] && [ a != b ]"))).toEqual([]);
  });
});

describe("redirections", () => {
  it("rejects 2>&1 >file before a pipe, which zsh copies to the pipe too", () => {
    expect(problemsIn(lesson("$ npm run x 2>&1 >/dev/null | sort"))).toEqual(["4 redirect-order"]);
    expect(problemsIn(lesson("$ { npm run x >/dev/null; } 2>&1 | sort", "$ npm run x >/dev/null 2>&1"))).toEqual([]);
  });
});

describe("every lesson's commands work as typed on a Mac or in Git Bash", () => {
  const workshop = join(repoRoot, "docs", "workshop");
  const findings = lessonFiles.flatMap((file) =>
    findPortabilityProblems(`docs/workshop/${file}`, readFileSync(join(workshop, file), "utf8")),
  );
  const report = (rule: Rule) =>
    findings.filter((f) => f.rule === rule).map((f) => `${f.lesson}:${f.line}: ${f.reason}`);

  it("runs no host command or flag that macOS's BSD tools or Git Bash lack", () => {
    expect(report("host-tool")).toEqual([]);
  });

  it("shows and compares no count that macOS pads", () => {
    expect(report("padded-count")).toEqual([]);
  });

  it("puts no # comment on a command line", () => {
    expect(report("comment")).toEqual([]);
  });

  it("has no ! that history expansion would take", () => {
    expect(report("history-expansion")).toEqual([]);
  });

  it("sends no 2>&1 >file into a pipe, which zsh would copy", () => {
    expect(report("redirect-order")).toEqual([]);
  });
});
