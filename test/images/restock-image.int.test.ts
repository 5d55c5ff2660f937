import { randomUUID } from "node:crypto";
import { chmod, copyFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuiltImage } from "../support/build-image.js";
import { buildImage } from "../support/build-image.js";
import { repoRoot } from "../support/repo.js";

interface Item {
  item: string;
  stock: number;
  sales: number;
}

const sampleInput = join(repoRoot, "data/input_data.json");
const sampleItems: Item[] = JSON.parse(await readFile(sampleInput, "utf8"));

/** The lesson's rule, written out plainly: restock when stock < sales * threshold, order the difference. */
function expectedRecords(items: Item[], threshold: number) {
  return items.map(({ item, stock, sales }) => {
    const target = sales * threshold;
    const restock = stock < target;
    return {
      item,
      current_stock: stock,
      recent_sales: sales,
      restock,
      recommended_order: restock ? target - stock : 0,
    };
  });
}

const needingRestock = (threshold: number) => expectedRecords(sampleItems, threshold).filter((r) => r.restock).length;

describe("the restock job image", () => {
  const runLabel = `stockroom-int-test=restock-${randomUUID().slice(0, 8)}`;
  const folders: string[] = [];
  let image: BuiltImage | undefined;

  beforeAll(async () => {
    image = await buildImage("restock", "packages/restock/Dockerfile");
  });

  afterAll(async () => {
    // Every run uses --rm; this only catches a container left by an interrupted run.
    const { stdout } = await execa("docker", ["ps", "-aq", "--filter", `label=${runLabel}`]);
    if (stdout.trim()) await execa("docker", ["rm", "-f", ...stdout.trim().split("\n")]);
    await image?.remove();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  /** A temp folder for /app/data, writable by the container's user (uid 1000) whoever runs the tests. */
  async function dataFolder(input?: string): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), "stockroom-restock-"));
    folders.push(folder);
    await chmod(folder, 0o777);
    if (input === undefined) await copyFile(sampleInput, join(folder, "input_data.json"));
    else await writeFile(join(folder, "input_data.json"), input);
    return folder;
  }

  /** `docker run --rm [-v folder:/app/data] [-e ...] IMAGE ...args`: the job as a learner runs it. */
  function runJob({ folder, args = [], env = {} }: { folder?: string; args?: string[]; env?: Record<string, string> }) {
    const mount = folder === undefined ? [] : ["-v", `${folder}:/app/data`];
    const vars = Object.entries(env).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
    return execa(
      "docker",
      ["run", "--rm", "--network", "none", "--label", runLabel, ...mount, ...vars, image!.name, ...args],
      {
        reject: false,
      },
    );
  }

  const outputOf = async (folder: string) => JSON.parse(await readFile(join(folder, "output_data.json"), "utf8"));

  it("is built to run the job as the non-root user node, with its defaults in the environment", async () => {
    const config = await image!.config();
    expect(config.User).toBe("node");
    // The job itself, with V8 flags that keep streamed runs small: the young generation capped, the old one collected sooner.
    expect(config.Entrypoint).toEqual([
      "node",
      "--max-semi-space-size=8",
      "--heap-growing-percent=40",
      "/app/packages/restock/dist/main.js",
    ]);
    expect(config.Env).toEqual(
      expect.arrayContaining([
        "INPUT_FILE=/app/data/input_data.json",
        "OUTPUT_FILE=/app/data/output_data.json",
        "RESTOCK_THRESHOLD=2",
        "RESTOCK_STRATEGY=simple",
      ]),
    );
    const id = await execa("docker", [
      "run",
      "--rm",
      "--network",
      "none",
      "--label",
      runLabel,
      "--entrypoint",
      "id",
      image!.name,
      "-u",
    ]);
    expect(id.stdout.trim()).toBe("1000");
  });

  it("restocks every item of the sample input by the rule and saves the results in the mounted folder", async () => {
    const folder = await dataFolder();
    const run = await runJob({ folder });

    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      `Processed ${sampleItems.length} inventory items. Results saved to /app/data/output_data.json`,
    );
    // The documented format too: a JSON array, 2-space indented, with a trailing newline.
    const written = await readFile(join(folder, "output_data.json"), "utf8");
    expect(written).toBe(`${JSON.stringify(expectedRecords(sampleItems, 2), null, 2)}\n`);
    expect((await readdir(folder)).sort()).toEqual(["input_data.json", "output_data.json"]);
  });

  describe("the threshold", () => {
    // Guards the comparisons below: the sample must tell thresholds 2, 3 and 5 apart.
    it("of the sample data separates 2, 3 and 5", () => {
      expect(needingRestock(3)).toBeGreaterThan(needingRestock(2));
      expect(needingRestock(5)).toBeGreaterThan(needingRestock(3));
    });

    it("--threshold 3 after the image name flags more items than the default 2", async () => {
      const folder = await dataFolder();
      const run = await runJob({ folder, args: ["--threshold", "3"] });
      expect(run.exitCode).toBe(0);
      expect(await outputOf(folder)).toEqual(expectedRecords(sampleItems, 3));
      expect(run.stdout).toContain(`${needingRestock(3)} of ${sampleItems.length} items need restocking (threshold 3`);
    });

    it("RESTOCK_THRESHOLD=3 in the environment does the same", async () => {
      const folder = await dataFolder();
      const run = await runJob({ folder, env: { RESTOCK_THRESHOLD: "3" } });
      expect(run.exitCode).toBe(0);
      expect(await outputOf(folder)).toEqual(expectedRecords(sampleItems, 3));
    });

    it("the flag wins over the environment (RESTOCK_THRESHOLD=5 with --threshold 3 gives the results for 3)", async () => {
      const folder = await dataFolder();
      const run = await runJob({ folder, args: ["--threshold", "3"], env: { RESTOCK_THRESHOLD: "5" } });
      expect(run.exitCode).toBe(0);
      expect(await outputOf(folder)).toEqual(expectedRecords(sampleItems, 3));
    });
  });

  describe("on bad input it fails loudly and leaves the previous output as it was", () => {
    const withNegativeSales = sampleItems.map((item) => (item.item === "Sprocket" ? { ...item, sales: -4 } : item));
    const sprocketNumber = sampleItems.findIndex((item) => item.item === "Sprocket") + 1;

    it.each([
      {
        case: "an item with negative sales",
        input: JSON.stringify(withNegativeSales, null, 2),
        args: [],
        exitCode: 1,
        message: `restock: /app/data/input_data.json: item #${sprocketNumber} ("Sprocket"): sales must be a number >= 0 (got -4)`,
      },
      {
        case: "malformed JSON",
        input: '[{ "item": "Widget", "stock": 5, "sales": 10 },',
        args: [],
        exitCode: 1,
        message: "restock: /app/data/input_data.json is not valid JSON",
      },
      {
        case: "a threshold that is not a number",
        input: undefined,
        args: ["--threshold", "abc"],
        exitCode: 2,
        message: 'restock: --threshold must be a number > 0 (got "abc")',
      },
    ])("$case: exit $exitCode, one line naming the problem", async ({ input, args, exitCode, message }) => {
      const folder = await dataFolder(input);
      const previous = `${JSON.stringify([{ item: "from an earlier run" }], null, 2)}\n`;
      await writeFile(join(folder, "output_data.json"), previous);
      const previousBytes = await readFile(join(folder, "output_data.json"));

      const run = await runJob({ folder, args });

      expect(run.exitCode).toBe(exitCode);
      expect(run.stdout).toBe("");
      expect(run.stderr.split("\n")).toHaveLength(1);
      expect(run.stderr).toContain(message);
      expect((await readFile(join(folder, "output_data.json"))).equals(previousBytes)).toBe(true);
      expect((await readdir(folder)).sort()).toEqual(["input_data.json", "output_data.json"]);
    });
  });

  it("without a bind mount exits 1 and says to mount a folder at /app/data", async () => {
    const run = await runJob({});
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("cannot read input file /app/data/input_data.json: no such file");
    expect(run.stderr).toContain("Mount a folder holding input_data.json at /app/data");
  });
});
