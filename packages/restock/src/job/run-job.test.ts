import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { signalDuringWrite } from "../testing/job-helpers.js";
import type { SignalSource } from "./atomic-write.js";
import type { Env } from "./config.js";
import { runJob } from "./run-job.js";

const ITEMS = [
  { item: "Widget", stock: 5, sales: 10, sales_history: [6, 8, 9, 10] },
  { item: "Gadget", stock: 50, sales: 10 },
  { item: "Gizmo", stock: 25, sales: 10 },
];

const EXISTING_OUTPUT = Buffer.from('[{"item":"from an earlier run"}]\r\n\u00e9', "utf8");

/** A fresh folder with data/input_data.json, removed when the test ends. */
async function makeWorkspace(input: string = JSON.stringify(ITEMS)): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "restock-job-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, "data"));
  await writeFile(join(dir, "data", "input_data.json"), input);
  return dir;
}

function capture() {
  let text = "";
  return {
    write(chunk: string): boolean {
      text += chunk;
      return true;
    },
    get text(): string {
      return text;
    },
  };
}

async function run(cwd: string, argv: string[] = [], env: Env = {}, signals?: SignalSource) {
  const stdout = capture();
  const stderr = capture();
  const code = await runJob({ argv, env, cwd, stdout, stderr, signals });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, "utf8"));
}

describe("runJob", () => {
  it("with no flags or variables reads data/input_data.json and writes data/output_data.json at threshold 2", async () => {
    const dir = await makeWorkspace();
    const output = join(dir, "data", "output_data.json");

    const result = await run(dir);

    expect(result).toEqual({
      code: 0,
      stdout:
        `Processed 3 inventory items. Results saved to ${output}\n` +
        "1 of 3 items need restocking (threshold 2, strategy simple).\n",
      stderr: "",
    });
    expect(await readJson(output)).toEqual([
      { item: "Widget", current_stock: 5, recent_sales: 10, restock: true, recommended_order: 15 },
      { item: "Gadget", current_stock: 50, recent_sales: 10, restock: false, recommended_order: 0 },
      { item: "Gizmo", current_stock: 25, recent_sales: 10, restock: false, recommended_order: 0 },
    ]);
  });

  it("writes the output as 2-space indented JSON with a trailing newline", async () => {
    const dir = await makeWorkspace(JSON.stringify([{ item: "Widget", stock: 5, sales: 10 }]));

    await run(dir);

    expect(await readFile(join(dir, "data", "output_data.json"), "utf8")).toBe(
      '[\n  {\n    "item": "Widget",\n    "current_stock": 5,\n    "recent_sales": 10,\n' +
        '    "restock": true,\n    "recommended_order": 15\n  }\n]\n',
    );
  });

  it("--threshold changes which items need restocking", async () => {
    const dir = await makeWorkspace();

    const result = await run(dir, ["--threshold", "3"]);

    expect(result.stdout).toContain("2 of 3 items need restocking (threshold 3, strategy simple).");
    const records = (await readJson(join(dir, "data", "output_data.json"))) as { recommended_order: number }[];
    expect(records.map((record) => record.recommended_order)).toEqual([25, 0, 5]);
  });

  it("reads INPUT_FILE, OUTPUT_FILE, RESTOCK_THRESHOLD and RESTOCK_STRATEGY", async () => {
    const dir = await makeWorkspace();
    await writeFile(join(dir, "stock.json"), JSON.stringify(ITEMS));
    const env = {
      INPUT_FILE: "stock.json",
      OUTPUT_FILE: "plan.json",
      RESTOCK_THRESHOLD: "1.5",
      RESTOCK_STRATEGY: "weighted",
    };

    const result = await run(dir, [], env);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Processed 3 inventory items. Results saved to ${join(dir, "plan.json")}\n` +
        "1 of 3 items need restocking (threshold 1.5, strategy weighted).\n",
    );
    expect(await readJson(join(dir, "plan.json"))).toContainEqual({
      item: "Widget",
      current_stock: 5,
      recent_sales: 10,
      restock: true,
      recommended_order: 9,
      forecast_sales: 9.33,
    });
  });

  it("flags override the environment", async () => {
    const dir = await makeWorkspace();
    const env = { RESTOCK_THRESHOLD: "abc", RESTOCK_STRATEGY: "fancy", OUTPUT_FILE: "nowhere/x.json" };

    const result = await run(dir, ["--threshold=3", "--strategy", "weighted", "--output", "data/out.json"], env);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Results saved to ${join(dir, "data", "out.json")}\n`);
    expect(result.stdout).toContain("(threshold 3, strategy weighted)");
  });

  it("--help prints the usage and writes nothing", async () => {
    const dir = await makeWorkspace();

    const result = await run(dir, ["--help"], { RESTOCK_THRESHOLD: "abc" });

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: restock /);
    expect(result.stdout).toContain("RESTOCK_THRESHOLD");
    expect(await readdir(join(dir, "data"))).toEqual(["input_data.json"]);
  });

  it("a bad RESTOCK_THRESHOLD exits 2 with one line naming the variable and the value", async () => {
    const dir = await makeWorkspace();

    const result = await run(dir, [], { RESTOCK_THRESHOLD: "abc" });

    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: 'restock: RESTOCK_THRESHOLD must be a number > 0 (got "abc")\n',
    });
    expect(await readdir(join(dir, "data"))).toEqual(["input_data.json"]);
  });

  it("a bad --strategy exits 2 with one line naming the flag and the value", async () => {
    const dir = await makeWorkspace();

    const result = await run(dir, ["--strategy", "fancy"]);

    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: 'restock: --strategy must be "simple" or "weighted" (got "fancy")\n',
    });
  });

  it("a bad --threshold exits 2 naming the flag", async () => {
    const dir = await makeWorkspace();

    const result = await run(dir, ["--threshold", "0"]);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('restock: --threshold must be a number > 0 (got "0")\n');
  });

  it("an unknown flag exits 2", async () => {
    const dir = await makeWorkspace();

    const result = await run(dir, ["--fancy"]);

    expect(result).toEqual({ code: 2, stdout: "", stderr: "restock: unknown option --fancy (see restock --help)\n" });
  });

  it("a missing input file exits 1 naming the file and hinting at the Docker mount", async () => {
    const dir = await makeWorkspace();
    await rm(join(dir, "data", "input_data.json"));
    const input = join(dir, "data", "input_data.json");

    const result = await run(dir);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `restock: cannot read input file ${input}: no such file. ` +
        `Mount a folder holding input_data.json at ${join(dir, "data")}, ` +
        `e.g. docker run -v "$PWD/data:${join(dir, "data")}" ...\n`,
    );
    expect(await readdir(join(dir, "data"))).toEqual([]);
  });

  it("malformed JSON exits 1, leaves an existing output byte-for-byte unchanged and no temp files", async () => {
    const dir = await makeWorkspace('[{"item": "Widget", "stock": 5,');
    const output = join(dir, "data", "output_data.json");
    await writeFile(output, EXISTING_OUTPUT);

    const result = await run(dir);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^restock: ${escapeRegExp(join(dir, "data", "input_data.json"))} is not valid JSON: .+\\n$`),
    );
    expect(result.stderr.split("\n")).toHaveLength(2);
    expect(await readFile(output)).toEqual(EXISTING_OUTPUT);
    expect((await readdir(join(dir, "data"))).sort()).toEqual(["input_data.json", "output_data.json"]);
  });

  // The second is about 300 KB: the job has parsed, planned and written several
  // 32 KB slices to the temp file when it meets item #8000.
  const manyItems = Array.from({ length: 7_999 }, (_, index) => ({ item: `Item ${index}`, stock: index, sales: 7 }));
  it.each([
    [
      "an invalid item",
      [...ITEMS, { item: "Sprocket", stock: 1, sales: 2 }, { item: "Gadget", stock: 3, sales: -4 }],
      'item #5 ("Gadget"): sales must be a number >= 0 (got -4)',
    ],
    [
      "an invalid item after many slices were written",
      [...manyItems, { item: "Late", stock: 1, sales: "many" }],
      'item #8000 ("Late"): sales must be a number >= 0 (got "many")',
    ],
  ])(
    "%s exits 1 naming file, item and field, keeps the old output and leaves no temp file",
    async (_, items, message) => {
      const dir = await makeWorkspace(JSON.stringify(items));
      const input = join(dir, "data", "input_data.json");
      const output = join(dir, "data", "output_data.json");
      await writeFile(output, EXISTING_OUTPUT);

      const result = await run(dir);

      expect(result).toEqual({ code: 1, stdout: "", stderr: `restock: ${input}: ${message}\n` });
      expect(await readFile(output)).toEqual(EXISTING_OUTPUT);
      expect((await readdir(join(dir, "data"))).sort()).toEqual(["input_data.json", "output_data.json"]);
    },
  );

  it("input that is not an array exits 1", async () => {
    const dir = await makeWorkspace(JSON.stringify({ items: ITEMS }));

    const result = await run(dir);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `restock: ${join(dir, "data", "input_data.json")}: expected a JSON array of items, got object\n`,
    );
  });

  it("a missing output folder exits 1 naming the folder, and creates nothing", async () => {
    const dir = await makeWorkspace();

    const result = await run(dir, ["--output", "out/plan.json"]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `restock: output directory ${join(dir, "out")} does not exist. ` +
        `Mount a folder at ${join(dir, "out")} to write plan.json into, ` +
        `e.g. docker run -v "$PWD/data:${join(dir, "out")}" ...\n`,
    );
    expect((await readdir(dir)).sort()).toEqual(["data"]);
  });

  it("an output path that is a folder exits 1 and leaves no temp files", async () => {
    const dir = await makeWorkspace();
    await mkdir(join(dir, "data", "output_data.json", "inside"), { recursive: true });

    const result = await run(dir);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^restock: cannot write output file .*output_data\.json: .+\n$/);
    expect((await readdir(join(dir, "data"))).sort()).toEqual(["input_data.json", "output_data.json"]);
  });

  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("%s while writing exits %i, keeps the old output and removes the temp file", async (signal, exitCode) => {
    const dir = await makeWorkspace();
    const output = join(dir, "data", "output_data.json");
    await writeFile(output, EXISTING_OUTPUT);

    const result = await run(dir, [], {}, signalDuringWrite(signal));

    expect(result.code).toBe(exitCode);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `restock: interrupted by ${signal} before finishing; the output file was left as it was\n`,
    );
    expect(await readFile(output)).toEqual(EXISTING_OUTPUT);
    expect((await readdir(join(dir, "data"))).sort()).toEqual(["input_data.json", "output_data.json"]);
  });

  it("replaces an existing output on success", async () => {
    const dir = await makeWorkspace();
    const output = join(dir, "data", "output_data.json");
    await writeFile(output, EXISTING_OUTPUT);

    const result = await run(dir);

    expect(result.code).toBe(0);
    expect(await readJson(output)).toHaveLength(3);
    expect((await readdir(join(dir, "data"))).sort()).toEqual(["input_data.json", "output_data.json"]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("runJob with streamed inputs (NDJSON, CSV)", () => {
  const NDJSON = `${ITEMS.map((item) => JSON.stringify(item)).join("\n")}\n`;
  const CSV = "item,stock,sales\r\nWidget,5,10\r\nGadget,50,10\r\nGizmo,25,10\r\n";

  /** What the JSON array input gives, byte for byte, for the same items (simple strategy). */
  async function outputForJsonInput(items: unknown[] = ITEMS): Promise<Buffer> {
    const dir = await makeWorkspace(JSON.stringify(items));
    await run(dir);
    return readFile(join(dir, "data", "output_data.json"));
  }

  it.each([
    ["stock.ndjson", NDJSON],
    ["stock.jsonl", NDJSON],
    ["stock.csv", CSV],
  ])("%s is read by its extension and gives the same output as the JSON array", async (name, content) => {
    const dir = await makeWorkspace();
    await writeFile(join(dir, "data", name), content);

    const result = await run(dir, ["--input", `data/${name}`]);

    expect(result).toEqual({
      code: 0,
      stdout:
        `Processed 3 inventory items. Results saved to ${join(dir, "data", "output_data.json")}\n` +
        "1 of 3 items need restocking (threshold 2, strategy simple).\n",
      stderr: "",
    });
    expect(await readFile(join(dir, "data", "output_data.json"))).toEqual(await outputForJsonInput());
  });

  it("--format and INPUT_FORMAT choose the format whatever the extension", async () => {
    const dir = await makeWorkspace();
    await writeFile(join(dir, "data", "stock.txt"), NDJSON);

    const byFlag = await run(dir, ["--input", "data/stock.txt", "--format", "ndjson"]);
    const byEnv = await run(dir, [], { INPUT_FILE: "data/stock.txt", INPUT_FORMAT: "ndjson" });

    expect(byFlag.code).toBe(0);
    expect(byEnv.code).toBe(0);
    expect(byEnv.stdout).toContain("Processed 3 inventory items.");
  });

  it("an empty NDJSON file gives an empty plan", async () => {
    const dir = await makeWorkspace();
    await writeFile(join(dir, "data", "stock.ndjson"), "");

    const result = await run(dir, ["--input", "data/stock.ndjson"]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Processed 0 inventory items.");
    expect(await readFile(join(dir, "data", "output_data.json"), "utf8")).toBe("[]\n");
  });

  it.each([
    [
      "stock.ndjson",
      `${NDJSON}{"item":"Gadget","stock":3,"sales":-4}\n`,
      'line 4 ("Gadget"): sales must be a number >= 0 (got -4)',
    ],
    ["stock.csv", `${CSV}Gadget,three,4\r\n`, 'line 5 ("Gadget"): stock must be a number >= 0 (got "three")'],
    [
      "stock.csv",
      "item,stock,sold\nWidget,1,2\n",
      "line 1: the header must be item,stock,sales, in any order " +
        '(got "item,stock,sold": missing sales; unexpected sold)',
    ],
  ])(
    "a bad line in %s exits 1 naming file, line and field, and leaves the old output and no temp file",
    async (name, content, problem) => {
      const dir = await makeWorkspace();
      const input = join(dir, "data", name);
      const output = join(dir, "data", "output_data.json");
      await writeFile(input, content);
      await writeFile(output, EXISTING_OUTPUT);

      const result = await run(dir, ["--input", input]);

      expect(result).toEqual({ code: 1, stdout: "", stderr: `restock: ${input}: ${problem}\n` });
      expect(await readFile(output)).toEqual(EXISTING_OUTPUT);
      expect((await readdir(join(dir, "data"))).sort()).toEqual(["input_data.json", name, "output_data.json"].sort());
    },
  );

  it("a missing NDJSON input exits 1 naming the file, and creates nothing", async () => {
    const dir = await makeWorkspace();
    const input = join(dir, "data", "stock.ndjson");

    const result = await run(dir, ["--input", input]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `restock: cannot read input file ${input}: no such file. ` +
        `Mount a folder holding stock.ndjson at ${join(dir, "data")}, ` +
        `e.g. docker run -v "$PWD/data:${join(dir, "data")}" ...\n`,
    );
    expect(await readdir(join(dir, "data"))).toEqual(["input_data.json"]);
  });

  it("an input that is a folder exits 1 naming it", async () => {
    const dir = await makeWorkspace();
    await mkdir(join(dir, "data", "stock.csv"));

    const result = await run(dir, ["--input", "data/stock.csv"]);

    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: `restock: cannot read input file ${join(dir, "data", "stock.csv")}: is a directory\n`,
    });
    expect((await readdir(join(dir, "data"))).sort()).toEqual(["input_data.json", "stock.csv"]);
  });

  it("a missing output folder exits 1 before reading a streamed input", async () => {
    const dir = await makeWorkspace();
    // A folder opens like a file but fails on the first read (EISDIR, see "an input that is a
    // folder" above), so only a job that never read the input reports the output folder instead.
    await mkdir(join(dir, "data", "stock.csv"));

    const result = await run(dir, ["--input", "data/stock.csv", "--output", "out/plan.json"]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^restock: output directory .*out does not exist\. /);
    expect(result.stderr).not.toContain("cannot read input file");
    expect((await readdir(dir)).sort()).toEqual(["data"]);
  });

  it("SIGTERM while streaming exits 143, keeps the old output and removes the temp file", async () => {
    const dir = await makeWorkspace();
    const output = join(dir, "data", "output_data.json");
    await writeFile(join(dir, "data", "stock.ndjson"), NDJSON);
    await writeFile(output, EXISTING_OUTPUT);

    const result = await run(dir, ["--input", "data/stock.ndjson"], {}, signalDuringWrite("SIGTERM"));

    expect(result.code).toBe(143);
    expect(await readFile(output)).toEqual(EXISTING_OUTPUT);
    expect((await readdir(join(dir, "data"))).sort()).toEqual(["input_data.json", "output_data.json", "stock.ndjson"]);
  });

  it("the weighted strategy reads sales_history from NDJSON", async () => {
    const dir = await makeWorkspace();
    await writeFile(join(dir, "data", "stock.ndjson"), NDJSON);

    await run(dir, ["--input", "data/stock.ndjson", "--strategy", "weighted"]);

    expect(await readJson(join(dir, "data", "output_data.json"))).toContainEqual(
      expect.objectContaining({ item: "Widget", forecast_sales: 9.33 }),
    );
  });
});
