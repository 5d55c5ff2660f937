import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SWARM_LAB_MEMORY_GIB } from "../../scripts/doctor-engine.js";
import { lessonFiles, repoRoot } from "../support/repo.js";
import { parseConsoleBlocks } from "./console-blocks.js";
import { parseSimpleCommands } from "./portability.js";

// What the workshop's pages say about each other and about the repository,
// checked against the files themselves: how many lessons there are, which
// ones run Compose, how many stages lesson 3's Dockerfile has, and what the
// Swarm lab of lesson 17 needs. Each was once wrong in one place only.
const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");
const lessons = lessonFiles;
const count = lessons.length;
const lesson = (number: number) => read(`docs/workshop/${lessons[number - 1]}`);
const commandsOf = (markdown: string) => parseConsoleBlocks(markdown).flatMap((block) => block.commands);

const NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split(" ");
/** "6", "six" or "Six" as a number; NaN for anything else. */
function numberFrom(word: string): number {
  if (/^\d+$/.test(word)) return Number(word);
  const index = NUMBER_WORDS.indexOf(word.toLowerCase());
  return index === -1 ? Number.NaN : index;
}

/** Every lesson a text names: "lesson 7", "lessons 1-15", "lessons 4 to 8, 10 and 15 to 17". */
function lessonsNamedIn(text: string): number[] {
  const named: number[] = [];
  for (const [, list] of text.matchAll(/\blessons?\s+(\d+(?:(?:\s*(?:-|–|,|\bto\b|,?\s*\band\b)\s*)\d+)*)/gi)) {
    for (const part of (list as string).split(/\s*(?:,|\band\b)\s*/).filter(Boolean)) {
      const [from, to = from] = part.split(/\s*(?:-|–|\bto\b)\s*/).map(Number) as [number, number?];
      for (let n = from; n <= (to as number); n++) named.push(n);
      if ((to as number) < from) named.push(Number.NaN);
    }
  }
  return named;
}

describe("lessonsNamedIn", () => {
  it("reads single lessons, ranges and lists", () => {
    expect(lessonsNamedIn("see lesson 7, then lessons 1-3 and lessons 4 to 5, 9 and 11 to 12.")).toEqual([
      7, 1, 2, 3, 4, 5, 9, 11, 12,
    ]);
  });
});

describe("the pages count the lessons there are", () => {
  it("numbers the lesson files 1, 2, 3... with no gap", () => {
    expect(lessons.map((file) => Number(file.slice(0, 2)))).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  });

  it("the README says how many lessons there are", () => {
    const [, said = ""] = /\b(\w+) short lessons\b/.exec(read("README.md")) ?? [];
    expect(numberFrom(said)).toBe(count);
  });

  // "lessons 1-18" means all of them, on each page that says it ("Lessons 1
  // to 10 take about 3.5 hours" is a part, and is written with "to").
  it.each([
    "README.md",
    "docs/workshop/01-preflight.md",
    "docs/workshop/instructor-guide.md",
    "docs/workshop/troubleshooting.md",
  ])("%s: its ranges from lesson 1 take in all of them", (path) => {
    const ends = [...read(path).matchAll(/\blessons 1\s*(?:-|–)\s*(\d+)/gi)].map(([, last]) => Number(last));
    expect(ends.length).toBeGreaterThan(0);
    expect(ends.filter((last) => last !== count)).toEqual([]);
  });

  it("the workshop's index lists every lesson, in order, with a link to its file", () => {
    const rows = [...read("docs/workshop/README.md").matchAll(/^\| (\d+) \| \[[^\]]+\]\(([^)]+)\)/gm)];
    expect(rows.map(([, number, file]) => `${number} ${file}`)).toEqual(lessons.map((file, i) => `${i + 1} ${file}`));
  });

  it("the instructor guide gives every lesson a time", () => {
    const rows = [...read("docs/workshop/instructor-guide.md").matchAll(/^\| (\d+)\. /gm)].map(([, n]) => Number(n));
    expect(rows).toEqual(lessons.map((_, i) => i + 1));
  });

  it("the instructor guide gives each lesson a slot that holds its reading (150 words a minute) and its commands", () => {
    const rows = [
      ...read("docs/workshop/instructor-guide.md").matchAll(/^\| (\d+)\. [^|]*\| (\d+) \| (\d+) min \| (\d+) s \|/gm),
    ];
    expect(rows.length).toBe(count);
    for (const [, number, minutes, reading, commands] of rows) {
      const words = lesson(Number(number)).split(/\s+/).filter(Boolean).length;
      const where = `lesson ${number} (${words} words)`;
      expect(Number(reading), `${where}: its reading time`).toBe(Math.ceil(words / 150));
      expect(Number(minutes) * 60, `${where}: its slot`).toBeGreaterThanOrEqual((words / 150) * 60 + Number(commands));
    }
  });

  it.each([
    "README.md",
    "docs/workshop/README.md",
    "docs/workshop/01-preflight.md",
    "docs/workshop/instructor-guide.md",
  ])("%s names only lessons that exist", (path) => {
    const named = lessonsNamedIn(read(path));
    expect(named.filter((n) => !(n >= 1 && n <= count))).toEqual([]);
  });
});

describe("lesson 1 says which lessons run Compose", () => {
  it("names exactly the lessons whose commands run docker compose", () => {
    // Lesson 1 itself runs `docker compose version` to check for it: it is the preflight, so it is left out.
    const runCompose = lessons
      .map((_, i) => i + 1)
      .filter((n) => n !== 1)
      .filter((n) =>
        commandsOf(lesson(n)).some((command) =>
          parseSimpleCommands(command.command).commands.some(
            (c) => c.words[0] === "docker" && c.words[1] === "compose",
          ),
        ),
      );
    const row = /^\| Compose v2 \|.*$/m.exec(lesson(1))?.[0] ?? "";
    expect(lessonsNamedIn(row)).toEqual(runCompose);
  });
});

describe("lesson 3 counts the stages of the Dockerfile it builds", () => {
  const text = lesson(3);
  // The first build of a Dockerfile named with -f: the api's (the learner's own comes before it, by its folder).
  const dockerfilePath =
    commandsOf(text)
      .map(({ command }) => /\s-f\s+(\S*Dockerfile)\b/.exec(command)?.[1])
      .find((path) => path !== undefined) ?? "";
  const stages = read(dockerfilePath)
    .split(/^(?=FROM\s)/im)
    .filter((part) => /^FROM\s/i.test(part))
    .map((part) => ({
      name: /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(part)?.[1] ?? "",
      // What BuildKit numbers in a stage's `[name n/m]` labels: the steps that change files.
      steps: part.split("\n").filter((line) => /^(RUN|COPY|ADD|WORKDIR)\s/i.test(line)).length,
    }));

  it("says how many stages there are", () => {
    expect(dockerfilePath).toBe("apps/api/Dockerfile");
    const [, said = ""] = /\bhas (\w+) stages\b/.exec(text) ?? [];
    expect(numberFrom(said)).toBe(stages.length);
  });

  it("names each of them", () => {
    const unnamed = stages.map((stage) => stage.name).filter((name) => !new RegExp(`[\`*]${name}[\`*]`).test(text));
    expect(unnamed).toEqual([]);
  });

  it("numbers BuildKit's steps as the Dockerfile has them", () => {
    const labels = [...text.matchAll(/\[([a-z-]+) (\d+)\/(\d+)\]/g)];
    expect(labels.length).toBeGreaterThan(0);
    const wrong = labels
      .map(([label, name, step, steps]) => ({ label, step: Number(step), steps: Number(steps), stage: name }))
      .filter(({ stage, step, steps }) => {
        const inDockerfile = stages.find((s) => s.name === stage)?.steps;
        return steps !== inDockerfile || step > steps;
      })
      .map(({ label }) => label);
    expect(wrong).toEqual([]);
  });
});

describe("lesson 17 and the instructor guide agree on what the Swarm lab needs", () => {
  /** The lab's figures as a page states them: memory and disk while it runs, and the engine's memory. */
  const figures = (text: string) => ({
    memoryGB: /about (\d+) GB of (?:free )?memory/.exec(text)?.[1],
    diskGB: /(\d+) GB of disk/.exec(text)?.[1],
    engineGiB: /give the engine (\d+) GiB/.exec(text)?.[1],
  });
  const guide = read("docs/workshop/instructor-guide.md")
    .split(/\n\n/)
    .find((paragraph) => paragraph.startsWith("Lesson 17 runs"));

  it("states the same figures in both", () => {
    const inLesson = figures(lesson(17).replace(/\s+/g, " "));
    expect(inLesson.memoryGB).toBeDefined();
    expect(inLesson).toEqual(figures((guide ?? "").replace(/\s+/g, " ")));
  });

  it("asks for the engine memory that npm run doctor checks", () => {
    expect(figures(lesson(17).replace(/\s+/g, " ")).engineGiB).toBe(String(SWARM_LAB_MEMORY_GIB));
    expect(/lesson 17 wants\s+(\d+) GiB/.exec(lesson(1))?.[1]).toBe(String(SWARM_LAB_MEMORY_GIB));
  });
});

describe("lesson 7 makes its own starting state", () => {
  it("removes the stack and its volumes before its first up, so its visit totals hold", () => {
    const commands = commandsOf(lesson(7)).map((command) => command.command);
    const firstUp = commands.findIndex((command) => /^docker compose\b.*\bup\b/.test(command));
    expect(firstUp).toBeGreaterThan(0);
    expect(commands.slice(0, firstUp)).toContain("docker compose down -v");
  });
});

describe("every lesson ends with exercises, each with its solution", () => {
  it.each(lessons)(
    "%s has an Exercises section whose every exercise has a Solution, typed by CI when it has commands",
    (file) => {
      const markdown = read(`docs/workshop/${file}`);
      const section = /^## Exercises\n([\s\S]*?)(?=^## )/m.exec(markdown)?.[1];
      expect(section, `${file} has no "## Exercises" section before its next heading`).toBeDefined();
      const exercises = (section ?? "").split(/^\d+\. /m).slice(1);
      expect(exercises.length, `${file}: no numbered exercise`).toBeGreaterThan(0);
      for (const [index, exercise] of exercises.entries()) {
        expect(exercise, `${file}, exercise ${index + 1}: no <details><summary>Solution`).toMatch(
          /<details><summary>Solution<\/summary>[\s\S]*<\/details>/,
        );
      }
    },
  );
});
