import { describe, expect, it } from "vitest";
import { matchOutput, parseConsoleBlocks } from "./console-blocks.js";

describe("parseConsoleBlocks", () => {
  it("reads commands, their expected output, exit codes and line numbers; ignores other blocks", () => {
    const markdown = [
      "# Lesson", // 1
      "", // 2
      "```console", // 3
      "$ echo hello", // 4
      "hello", // 5
      "$ false", // 6
      "(exit status 1)", // 7
      "$ printf 'a\\nb' \\", // 8
      "  | sort", // 9
      "a", // 10
      "", // 11
      "```", // 12
      "", // 13
      "```sh", // 14
      "$ never run", // 15
      "```", // 16
    ].join("\n");
    const [block, ...others] = parseConsoleBlocks(markdown);
    expect(others).toEqual([]);
    expect(block?.line).toBe(3);
    expect(block?.commands).toEqual([
      { command: "echo hello", expected: ["hello"], exitCode: 0, line: 4 },
      { command: "false", expected: [], exitCode: 1, line: 6 },
      { command: "printf 'a\\nb' \\\n  | sort", expected: ["a"], exitCode: 0, line: 8 },
    ]);
  });

  it("reads an exit status after the expected output, and keeps a # in the command as typed", () => {
    const [block] = parseConsoleBlocks("```console\n$ grep -v '^#' f\nline\n(exit status 2)\n```");
    expect(block?.commands).toEqual([{ command: "grep -v '^#' f", expected: ["line"], exitCode: 2, line: 2 }]);
  });

  it("reads what is typed into a program the command opens: a container's bash, psql", () => {
    const [block] = parseConsoleBlocks(
      [
        "```console",
        "$ docker compose exec -it db psql -U stockroom",
        "psql (...)",
        "stockroom=# SELECT 1 AS one;",
        " one",
        "stockroom=# \\q",
        "$ docker run -it --rm --entrypoint bash stockroom-restock",
        "node@...:/app$ whoami",
        "node",
        "node@...:/app$ exit",
        "exit",
        "$ docker compose exec db env",
        "POSTGRES_USER=stockroom",
        "mail: node@example.com: sent",
        "```",
      ].join("\n"),
    );
    const [psql, bash, echo] = block?.commands ?? [];
    expect(psql?.answers?.map(({ keys }) => keys)).toEqual(["SELECT 1 AS one;", "\\q"]);
    expect(psql?.answers?.[0]?.prompt.test("stockroom=#")).toBe(true);
    expect(bash?.answers?.map(({ keys }) => keys)).toEqual(["whoami", "exit"]);
    expect(bash?.answers?.[0]?.prompt.test("node@5be0c1d2:/app$")).toBe(true);
    expect(echo?.answers).toBeUndefined();
  });

  it("types a here-document's lines with its command, up to the line that ends it", () => {
    const [block] = parseConsoleBlocks(
      ["```console", "$ cat > f.txt <<'EOF'", "one", "  two", "EOF", "$ cat f.txt", "one", "  two", "```"].join("\n"),
    );
    expect(block?.commands).toEqual([
      { command: "cat > f.txt <<'EOF'\none\n  two\nEOF", expected: [], exitCode: 0, line: 2 },
      { command: "cat f.txt", expected: ["one", "  two"], exitCode: 0, line: 6 },
    ]);
    expect(() => parseConsoleBlocks("```console\n$ cat <<EOF\nnever closed\n```")).toThrow(/no "EOF" line closes/);
  });

  it("refuses a block that does not start with a command", () => {
    expect(() => parseConsoleBlocks("```console\noops\n```")).toThrow(
      /line 2: a console block must start with a "\$ " command/,
    );
  });
});

describe("matchOutput", () => {
  it("accepts output that matches line by line, ignoring trailing blank lines and spaces", () => {
    expect(matchOutput(["a", "b"], "a  \nb\n\n")).toBeUndefined();
  });

  it("lets ... stand for any text within a line", () => {
    expect(matchOutput(["Container ...-api-1  Healthy"], "Container stockroom-api-1  Healthy")).toBeUndefined();
    expect(matchOutput(["id: ..."], "name: x")).toEqual({ expectedIndex: 1, expected: "id: ...", actual: "name: x" });
  });

  it("lets a line of ... stand for any number of lines, even none", () => {
    expect(matchOutput(["start", "...", "end"], "start\n1\n2\nend")).toBeUndefined();
    expect(matchOutput(["start", "...", "end"], "start\nend")).toBeUndefined();
    expect(matchOutput(["...", "end"], "x\ny")).toMatchObject({ expected: "end" });
  });

  it("names the first expected line that did not match, and what came instead", () => {
    expect(matchOutput(["a", "b", "c"], "a\nB\nc")).toEqual({ expectedIndex: 2, expected: "b", actual: "B" });
  });

  it("refuses extra output and missing output", () => {
    expect(matchOutput(["a"], "a\nextra")).toEqual({ expectedIndex: 0, expected: undefined, actual: "extra" });
    expect(matchOutput(["a", "b"], "a")).toEqual({ expectedIndex: 2, expected: "b", actual: undefined });
  });

  it("accepts anything when no output is expected", () => {
    expect(matchOutput([], "whatever\nlines")).toBeUndefined();
  });

  it("treats regex characters in expected lines literally", () => {
    expect(matchOutput(["(1+1) = [2]"], "(1+1) = [2]")).toBeUndefined();
    expect(matchOutput(["a.c"], "abc")).toBeDefined();
  });
});
