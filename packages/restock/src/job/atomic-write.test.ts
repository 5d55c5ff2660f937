import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { signalDuringWrite } from "../testing/job-helpers.js";
import { tempPathFor, WriteInterruptedError, writeFileAtomic } from "./atomic-write.js";

async function makeTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "restock-atomic-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("writeFileAtomic", () => {
  it("writes a new file and leaves no temp file", async () => {
    const dir = await makeTempDir();
    const target = join(dir, "out.json");

    await writeFileAtomic(target, "[]\n");

    expect(await readFile(target, "utf8")).toBe("[]\n");
    expect(await readdir(dir)).toEqual(["out.json"]);
  });

  it("replaces an existing file", async () => {
    const dir = await makeTempDir();
    const target = join(dir, "out.json");
    await writeFile(target, "old");

    await writeFileAtomic(target, "new");

    expect(await readFile(target, "utf8")).toBe("new");
  });

  it("names temp files after the target, hidden, with the pid and a random part", () => {
    const first = tempPathFor("/data/output_data.json");
    const second = tempPathFor("/data/output_data.json");

    expect(first).toMatch(new RegExp(`^/data/\\.output_data\\.json\\.${process.pid}\\.[0-9a-f]+\\.tmp$`));
    expect(first).not.toBe(second);
  });

  it("a failed rename removes the temp file and passes the error on", async () => {
    const dir = await makeTempDir();
    const target = join(dir, "taken");
    await mkdir(join(target, "child"), { recursive: true });

    await expect(writeFileAtomic(target, "data")).rejects.toMatchObject({ code: expect.any(String) });

    expect(await readdir(dir)).toEqual(["taken"]);
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s during the write keeps the old file, removes the temp file and unregisters",
    async (signal) => {
      const dir = await makeTempDir();
      const target = join(dir, "out.json");
      await writeFile(target, "old");
      const signals = signalDuringWrite(signal);

      const result = writeFileAtomic(target, "new", { signals });

      await expect(result).rejects.toBeInstanceOf(WriteInterruptedError);
      await expect(result).rejects.toMatchObject({ signal, committed: false });
      expect(await readFile(target, "utf8")).toBe("old");
      expect(await readdir(dir)).toEqual(["out.json"]);
      expect(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM")).toBe(0);
    },
  );

  it("writes a stream of chunks in order", async () => {
    const dir = await makeTempDir();
    const target = join(dir, "out.json");
    async function* chunks(): AsyncGenerator<string> {
      yield "[1,";
      yield "2]\n";
    }

    await writeFileAtomic(target, chunks());

    expect(await readFile(target, "utf8")).toBe("[1,2]\n");
    expect(await readdir(dir)).toEqual(["out.json"]);
  });

  it("an error from the stream mid-write keeps the old file, removes the temp file and passes the error on", async () => {
    const dir = await makeTempDir();
    const target = join(dir, "out.json");
    await writeFile(target, "old");
    const failure = new Error("line 3 is bad");
    async function* chunks(): AsyncGenerator<string> {
      yield "new, partly";
      throw failure;
    }

    await expect(writeFileAtomic(target, chunks())).rejects.toBe(failure);

    expect(await readFile(target, "utf8")).toBe("old");
    expect(await readdir(dir)).toEqual(["out.json"]);
  });
});
