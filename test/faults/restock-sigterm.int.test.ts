import { randomUUID } from "node:crypto";
import { watch } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { getContainerRuntimeClient } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuiltImage } from "../support/build-image.js";
import { buildImage } from "../support/build-image.js";

const ITEMS = 300_000;
const TEMP_FILE = /^\.output_data\.json\..+\.tmp$/;

interface Run {
  label: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Whether `docker kill` reached a running container (a late one finds the job gone). */
  signalled: boolean;
  /** ms after `docker run` was started: the temp file appeared, was renamed, the run ended. */
  tempAppearedMs?: number;
  renamedMs?: number;
  endedMs: number;
  /** What output_data.json holds afterwards. */
  outcome: "old" | "new" | "neither";
}

/** A big inventory (about 27 MB), so the job takes a second or so and the write itself a while. */
function bigInventory(): string {
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    item: `Item ${i} ${"x".repeat(20)}`,
    stock: i % 97,
    sales: i % 13,
    sales_history: [i % 7, i % 11, i % 13, i % 5],
  }));
  return JSON.stringify(items);
}

const OLD_OUTPUT = `${JSON.stringify([{ item: "from an earlier run", current_stock: 1, recent_sales: 1, restock: false, recommended_order: 0 }], null, 2)}\n`;

describe("the restock job under SIGTERM at any moment", () => {
  const runLabel = `stockroom-int-test=faults-restock-${randomUUID().slice(0, 8)}`;
  const runs: Run[] = [];
  let image: BuiltImage | undefined;
  let folder: string;
  let newOutput: Buffer;
  let baseline: Run;
  let runNumber = 0;

  /**
   * One `docker run --rm` of the job on `folder`, hardened as Compose runs it, as PID 1 or under
   * an init (`--init`, like `init: true`). `signal` decides when SIGTERM goes out: it gets the
   * container's name and resolves whether the kill reached a running container.
   */
  async function runJob(
    label: string,
    init: boolean,
    signal?: (name: string, timeline: Timeline) => Promise<boolean>,
  ): Promise<Run> {
    await writeFile(join(folder, "output_data.json"), OLD_OUTPUT);
    const name = `stockroom-faults-restock-${randomUUID().slice(0, 8)}-${++runNumber}`;
    const timeline = new Timeline(folder);
    const job = execa(
      "docker",
      [
        "run",
        "--rm",
        "--name",
        name,
        "--label",
        runLabel,
        "--network",
        "none",
        "--read-only",
        "--tmpfs",
        "/tmp",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        ...(init ? ["--init"] : []),
        "-v",
        `${folder}:/app/data`,
        image!.name,
      ],
      { reject: false },
    );
    const signalled = signal ? signal(name, timeline) : Promise.resolve(false);
    const result = await job;
    timeline.close();
    const output = await readFile(join(folder, "output_data.json"));
    const outcome = output.equals(Buffer.from(OLD_OUTPUT))
      ? "old"
      : newOutput && output.equals(newOutput)
        ? "new"
        : "neither";
    const run: Run = {
      label: `${label}${init ? " (--init)" : " (PID 1)"}`,
      exitCode: result.exitCode ?? -1,
      stdout: result.stdout,
      stderr: result.stderr,
      signalled: await signalled,
      endedMs: Date.now() - timeline.started,
      outcome,
      ...(timeline.tempAppearedMs === undefined ? {} : { tempAppearedMs: timeline.tempAppearedMs }),
      ...(timeline.renamedMs === undefined ? {} : { renamedMs: timeline.renamedMs }),
    };
    runs.push(run);
    return run;
  }

  /**
   * `docker kill --signal TERM` after `delayMs`. On a busy machine `docker run` may not have
   * created the container yet by then: the kill is tried again until it exists, or the run is
   * over, so an early signal arrives early rather than never.
   */
  const killAfter = (delayMs: number) => async (name: string, timeline: Timeline) => {
    await sleep(delayMs);
    while (!timeline.closed) {
      const kill = await execa("docker", ["kill", "--signal", "TERM", name], { reject: false });
      if (kill.exitCode === 0) return true;
      if (!/no such container/i.test(kill.stderr)) return false;
      await sleep(50);
    }
    return false;
  };

  /** SIGTERM through the Docker API (no CLI start-up delay) `offsetMs` after the temp file appears: mid-write. */
  const killWhenWriting = (offsetMs: number) => async (name: string, timeline: Timeline) => {
    await timeline.tempAppeared;
    if (timeline.tempAppearedMs === undefined) return false; // the job ended without writing
    if (offsetMs > 0) await sleep(offsetMs);
    const client = await getContainerRuntimeClient();
    try {
      await client.container.dockerode.getContainer(name).kill({ signal: "SIGTERM" });
      return true;
    } catch {
      return false;
    }
  };

  /** What every run must leave, however it ended. */
  async function expectSafeOutcome(run: Run): Promise<void> {
    const context = JSON.stringify({ ...run, stdout: run.stdout.slice(0, 300) });
    expect([0, 143], context).toContain(run.exitCode);
    // Byte for byte the old file or the complete new one; and so, valid JSON.
    expect(run.outcome, context).not.toBe("neither");
    JSON.parse(await readFile(join(folder, "output_data.json"), "utf8"));
    // No temp file left behind, nothing else written.
    expect((await readdir(folder)).sort(), context).toEqual(["input_data.json", "output_data.json"]);
    // What the job says matches what it left.
    if (run.exitCode === 0) {
      expect(run.outcome, context).toBe("new");
      expect(run.stdout, context).toContain(`Processed ${ITEMS} inventory items.`);
    }
    if (run.stderr.includes("before finishing; the output file was left as it was"))
      expect(run.outcome, context).toBe("old");
    if (run.stderr.includes("after the new output was in place")) expect(run.outcome, context).toBe("new");
    if (run.exitCode === 143 && run.stderr !== "")
      expect(run.stderr, context).toMatch(/^restock: interrupted by SIGTERM /);
  }

  beforeAll(async () => {
    image = await buildImage("restock", "packages/restock/Dockerfile");
    folder = await mkdtemp(join(tmpdir(), "stockroom-faults-restock-"));
    await chmod(folder, 0o777); // the job runs as uid 1000
    await writeFile(join(folder, "input_data.json"), bigInventory());

    // One uninterrupted run: the new output every later run is compared with, and the timings.
    baseline = await runJob("uninterrupted", false);
    newOutput = await readFile(join(folder, "output_data.json"));
    baseline.outcome = "new";
  });

  afterAll(async () => {
    // Every run uses --rm; this only catches a container left by an interrupted test run.
    const { stdout } = await execa("docker", ["ps", "-aq", "--filter", `label=${runLabel}`]);
    if (stdout.trim()) await execa("docker", ["rm", "-f", ...stdout.trim().split("\n")]);
    await image?.remove();
    if (folder) await rm(folder, { recursive: true, force: true });
    if (runs.length > 0) {
      console.info(
        `restock runs: ${runs.map((r) => `${r.label}: exit ${r.exitCode}, ${r.outcome}${r.signalled ? "" : ", not signalled"}, ${r.endedMs} ms${r.tempAppearedMs === undefined ? "" : ` (temp file +${r.tempAppearedMs}..${r.renamedMs ?? "?"} ms)`}`).join("; ")}`,
      );
    }
  });

  it("uninterrupted, writes the complete plan for every item through a temp file", () => {
    expect(baseline.exitCode).toBe(0);
    expect(baseline.stdout).toContain(`Processed ${ITEMS} inventory items.`);
    const records = JSON.parse(newOutput.toString("utf8")) as { item: string }[];
    expect(records).toHaveLength(ITEMS);
    expect(records[ITEMS - 1]?.item).toBe(`Item ${ITEMS - 1} ${"x".repeat(20)}`);
    expect(newOutput.toString("utf8").endsWith("]\n")).toBe(true);
    // The write went through a temp file that was renamed over the output.
    expect(baseline.tempAppearedMs).toBeDefined();
    expect(baseline.renamedMs).toBeGreaterThanOrEqual(baseline.tempAppearedMs!);
  });

  // Spread over the job's run, from before node has started to the moment an uninterrupted run
  // renamed its output into place (plus `docker kill`'s own start-up, ~0.1 s: the last ones land
  // after the write). Every other run is under an init: there SIGTERM outside the write kills
  // node at once, while node as PID 1 ignores it (no handler) and finishes the job.
  it.each([0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.9, 1.0].map((fraction, i) => ({ fraction, init: i % 2 === 1 })))(
    "SIGTERM at $fraction of the time to the output's rename (init: $init) leaves the old or the complete new output",
    async ({ fraction, init }) => {
      const run = await runJob(`at ${fraction}`, init, killAfter(Math.round(baseline.renamedMs! * fraction)));
      await expectSafeOutcome(run);
    },
  );

  // Aimed at the write itself: SIGTERM as soon as the temp file shows up, and a little later.
  it.each([
    { offsetMs: 0, init: false },
    { offsetMs: 0, init: true },
    { offsetMs: 20, init: false },
    { offsetMs: 40, init: true },
  ])(
    "SIGTERM $offsetMs ms into the write (init: $init) leaves the old or the complete new output",
    async ({ offsetMs, init }) => {
      const run = await runJob(`${offsetMs} ms into the write`, init, killWhenWriting(offsetMs));
      expect(run.signalled).toBe(true);
      await expectSafeOutcome(run);
    },
  );

  it("was really interrupted mid-write at least once: exit 143, the write abandoned, the old output kept", () => {
    const abandoned = runs.filter(
      (r) => r.exitCode === 143 && r.stderr.includes("before finishing; the output file was left as it was"),
    );
    expect(abandoned.length, JSON.stringify(runs.map(({ stdout, ...r }) => r))).toBeGreaterThan(0);
    expect(abandoned.every((r) => r.outcome === "old")).toBe(true);
    // And the signals that came too late (or were ignored) let it finish with the new output.
    expect(runs.some((r) => r.signalled && r.exitCode === 0 && r.outcome === "new")).toBe(true);
  });
});

/** Watches the data folder for the job's temp file: when it appeared and when it was renamed away. */
class Timeline {
  readonly started = Date.now();
  tempAppearedMs: number | undefined;
  renamedMs: number | undefined;
  /** The run is over (close() was called). */
  closed = false;
  /** Resolves when the temp file appears, or at close() if it never did. */
  readonly tempAppeared: Promise<void>;
  private readonly watcher;
  private appeared = () => {};

  constructor(folder: string) {
    this.tempAppeared = new Promise((resolve) => (this.appeared = resolve));
    const appeared = () => this.appeared();
    this.watcher = watch(folder, (event, file) => {
      if (event !== "rename" || !file || !TEMP_FILE.test(file)) return;
      const at = Date.now() - this.started;
      // The first "rename" event is the temp file's creation, the second its rename (or removal).
      if (this.tempAppearedMs === undefined) {
        this.tempAppearedMs = at;
        appeared();
      } else {
        this.renamedMs ??= at;
      }
    });
  }

  close(): void {
    this.closed = true;
    this.watcher.close();
    this.appeared();
  }
}
