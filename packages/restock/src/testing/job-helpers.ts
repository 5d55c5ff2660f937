import { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import type { InventoryItem } from "../inventory.js";
import type { InterruptSignal, SignalSource } from "../job/atomic-write.js";

/** For tests: `text` as a readable stream, in one chunk or in the chunks given (as a stream would split it). */
export function textStream(text: string | readonly string[]): Readable {
  return Readable.from(typeof text === "string" ? [text] : [...text]);
}

/** A list cut into consecutive batches of at most `size` (none for an empty list). */
export function* batchesOf<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** Every item a streaming reader yields, its batches joined. */
export async function collectItems(batches: AsyncIterable<InventoryItem[]>): Promise<InventoryItem[]> {
  const items: InventoryItem[] = [];
  for await (const batch of batches) items.push(...batch);
  return items;
}

/**
 * For tests: a signal source that delivers `signal` right after the write
 * registers its listener, i.e. in the middle of the write.
 */
export function signalDuringWrite(signal: InterruptSignal): SignalSource & { listenerCount(name: string): number } {
  const emitter = new EventEmitter();
  return {
    on(name, listener) {
      emitter.on(name, listener);
      if (name === signal) queueMicrotask(() => emitter.emit(signal));
      return this;
    },
    off(name, listener) {
      emitter.off(name, listener);
      return this;
    },
    listenerCount: (name) => emitter.listenerCount(name),
  };
}
