import { Readable } from "node:stream";
import { JobError } from "../job/job-error.js";
import type { InventoryItem } from "../types.js";

/** A streaming reader of the job's input: text in, batches of validated items out. */
export type ItemReader = (input: Readable, path: string) => AsyncIterable<InventoryItem[]>;

/** Every item `read` yields for `text` (one chunk, or the chunks given, as a stream would split it). */
export async function itemsFrom(read: ItemReader, path: string, text: string | string[]): Promise<InventoryItem[]> {
  const items: InventoryItem[] = [];
  for await (const batch of read(Readable.from(typeof text === "string" ? [text] : text), path)) items.push(...batch);
  return items;
}

/** The JobError `read` stops with on `text`; anything else (or no error) fails the test. */
export async function errorFrom(read: ItemReader, path: string, text: string): Promise<JobError> {
  const error: unknown = await itemsFrom(read, path, text).then(
    () => new Error(`expected ${read.name} to throw`),
    (thrown: unknown) => thrown,
  );
  if (error instanceof JobError) return error;
  throw error;
}
