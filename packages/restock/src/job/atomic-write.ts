import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { INTERRUPT_SIGNALS, WriteInterruptedError } from "./signals.js";
import type { InterruptSignal, SignalSource } from "./signals.js";

export type AtomicWriteOptions = {
  /** While writing, SIGINT/SIGTERM from here abort the write instead of killing the process. */
  signals?: SignalSource | undefined;
};

/** A unique hidden temp file beside the target: `.output_data.json.<pid>.<random>.tmp`. */
export function tempPathFor(target: string): string {
  const random = randomBytes(6).toString("hex");
  return join(dirname(target), `.${basename(target)}.${process.pid}.${random}.tmp`);
}

/**
 * Replaces `target` with `content` so readers only ever see the old file or the whole new one:
 * write a temp file in the same folder, fsync it, rename it over the target.
 * On any failure, or an interrupt signal before the rename, the temp file is removed, the target
 * is left as it was and the error (a WriteInterruptedError for a signal) is thrown.
 * Signal listeners are registered only for the duration of the write.
 */
export async function writeFileAtomic(target: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  const { signals } = options;
  let interrupted: InterruptSignal | undefined;
  const listeners = INTERRUPT_SIGNALS.map((signal) => {
    const listener = (): void => {
      interrupted ??= signal;
    };
    return { signal, listener };
  });
  const stopIfInterrupted = (): void => {
    if (interrupted !== undefined) throw new WriteInterruptedError(interrupted, false);
  };

  for (const { signal, listener } of listeners) signals?.on(signal, listener);
  const tempPath = tempPathFor(target);
  let committed = false;
  try {
    const handle = await open(tempPath, "wx", 0o644);
    try {
      stopIfInterrupted();
      await handle.writeFile(content, "utf8");
      stopIfInterrupted();
      await handle.sync();
    } finally {
      await handle.close();
    }
    stopIfInterrupted();
    await rename(tempPath, target);
    committed = true;
    await syncDirectory(dirname(target));
  } catch (error) {
    if (!committed) await rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    for (const { signal, listener } of listeners) signals?.off(signal, listener);
  }
  if (interrupted !== undefined) throw new WriteInterruptedError(interrupted, true);
}

/** Makes the rename itself durable where the platform allows it; best effort. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot open or fsync a directory; the data itself is already synced.
  }
}
