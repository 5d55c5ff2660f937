/**
 * The JSON array input, parsed in slices of about 32 KB of its text, once, as the output is
 * written: each slice's items are validated, planned and written before the next is parsed. Bad
 * input still never touches the output: an item that is not valid, or text that is not JSON,
 * stops the job with the message the whole text would have given, and the temp file the slices
 * before it went to is removed (atomic-write.ts), as for a bad NDJSON or CSV line.
 * JSON.parse of the whole text kept the text, a million parsed objects and their validated copies
 * alive at once (400 MB of RSS for 1M items, and more time collecting them than parsing). What
 * stays in memory is the file's bytes, and one slice at a time: decoded whole, the text measured
 * 90 MB more (Node makes a string that big two-byte), and over 512 MB cannot be a string.
 * Validating every slice before writing any (parsing each twice) took about a quarter longer on
 * 1M items.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { InventoryItem } from "../inventory.js";
import { inventoryItemSchema, parseInventory, plainInventoryItem } from "../inventory.js";
import { EXIT_FAILURE, inputReadError, itemSourceError, JobError, oneLineMessage } from "./errors.js";

/**
 * About how much text one slice holds: ~700 items of the benchmark's size, one output chunk of
 * ~95 KB. Big enough that the cost per slice vanishes; 64 KB measured 18 MB more peak RSS.
 */
const SLICE_BYTES = 1 << 15;

/**
 * Reads a JSON array input file and returns its valid items slice by slice, each slice parsed and
 * validated when asked for. A file that cannot be read, or is not an array at all, fails here;
 * anything else wrong surfaces while iterating. Every failure is a JobError naming the file,
 * worded exactly as JSON.parse and parseInventory of the whole text word it: where a slice does
 * not parse, or holds an item that is not valid, the file is read that original way, which finds
 * the problem and says it.
 */
export async function readJsonItems(
  path: string,
  sliceBytes: number = SLICE_BYTES,
): Promise<Iterable<InventoryItem[]>> {
  const bytes = await readFile(path).catch((err: unknown) => {
    throw inputReadError(path, err);
  });
  const bounds = arrayBounds(bytes);
  return bounds === undefined ? [wholeFileItems(path, bytes)] : sliceBatches(path, bytes, bounds, sliceBytes);
}

/** Bytes [start, end) of the file: one or more items of the array, with the commas between them. */
interface Slice {
  start: number;
  end: number;
}

/** Where the outer `[` and `]` are: after an optional BOM and whitespace, before whitespace only. */
interface ArrayBounds {
  open: number;
  close: number;
}

/**
 * The items, a slice at a time, cut by quickSlices. At the first slice that does not parse (a cut
 * inside an item), the rest is cut again by exactSlices; a slice that still fails, or holds an
 * item that is not valid, hands over to wholeFileItems, for its error (or, should slicing miss a
 * valid file, for the items not yet given: those given are the array's first ones, in order).
 */
function* sliceBatches(
  path: string,
  bytes: Buffer,
  bounds: ArrayBounds,
  sliceBytes: number,
): Generator<InventoryItem[]> {
  let given = 0;
  let slices: Slice[] | undefined = quickSlices(bytes, bounds, sliceBytes);
  for (let recut = false; slices !== undefined; recut = true) {
    let failed: Slice | undefined;
    for (const slice of slices) {
      const items = sliceItems(bytes, slice, given === 0 && slices.length === 1);
      if (items === undefined) {
        failed = slice;
        break;
      }
      given += items.length;
      yield items;
    }
    if (failed === undefined) return;
    slices = recut ? undefined : exactSlices(bytes, { open: failed.start - 1, close: bounds.close }, sliceBytes);
  }
  yield wholeFileItems(path, bytes).slice(given);
}

/** The slice's items, each as parseInventory returns it; undefined if it does not parse or one is not valid. */
function sliceItems(bytes: Buffer, slice: Slice, mayBeEmpty: boolean): InventoryItem[] | undefined {
  const elements = parseSlice(bytes, slice, mayBeEmpty);
  if (elements === undefined) return undefined;
  const items: InventoryItem[] = [];
  for (const element of elements) {
    const item = plainInventoryItem(element) ?? inventoryItemSchema.safeParse(element).data;
    if (item === undefined) return undefined;
    items.push(item);
  }
  return items;
}

/**
 * The elements of one slice, parsed as `[` + slice + `]`; undefined when that is not a JSON array
 * with at least one element (zero only when `mayBeEmpty`: the one slice of an empty array). That
 * check is what makes slicing safe, however the cuts were chosen: slices that each parse to a
 * non-empty array join, with the commas between them, into one valid array whose elements are
 * theirs, in order.
 * And a cut inside an item (inside a string, or a nested object) always fails to parse: the item
 * is left open, which the `]` added after it cannot close.
 */
function parseSlice(bytes: Buffer, slice: Slice, mayBeEmpty: boolean): unknown[] | undefined {
  try {
    const elements: unknown = JSON.parse(`[${bytes.toString("utf8", slice.start, slice.end)}]`);
    if (!Array.isArray(elements) || (elements.length === 0 && !mayBeEmpty)) return undefined;
    return elements;
  } catch {
    return undefined;
  }
}

const BOM = [0xef, 0xbb, 0xbf];
const [QUOTE, BACKSLASH, COMMA] = [0x22, 0x5c, 0x2c];
const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x5b, 0x5d, 0x7b, 0x7d];
/** The `},` between two objects, where quickSlices cuts. */
const OBJECT_BOUNDARY = Buffer.from("},");

/** JSON's own whitespace: space, tab, line feed, carriage return. */
function isJsonSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

function arrayBounds(bytes: Buffer): ArrayBounds | undefined {
  let open = BOM.every((byte, index) => bytes[index] === byte) ? BOM.length : 0;
  while (isJsonSpace(bytes[open])) open += 1;
  let close = bytes.length - 1;
  while (close > open && isJsonSpace(bytes[close])) close -= 1;
  return bytes[open] === OPEN_ARRAY && bytes[close] === CLOSE_ARRAY && close > open ? { open, close } : undefined;
}

/**
 * Cuts at the first `},` past every `sliceBytes`: where one object item ends and the next begins,
 * in any file written by JSON.stringify, compact or indented. Found by memchr, so nearly free; a
 * `},` inside a name or a nested object is a wrong cut, which parseSlice rejects (then exactSlices).
 * Cuts are at ASCII commas, so no UTF-8 sequence is ever split.
 */
function quickSlices(bytes: Buffer, { open, close }: ArrayBounds, sliceBytes: number): Slice[] {
  const slices: Slice[] = [];
  let start = open + 1;
  for (;;) {
    const boundary = bytes.indexOf(OBJECT_BOUNDARY, start + sliceBytes);
    if (boundary === -1 || boundary + 1 >= close) break;
    slices.push({ start, end: boundary + 1 });
    start = boundary + 2;
  }
  slices.push({ start, end: close });
  return slices;
}

/**
 * Cuts at the first top-level comma past every `sliceBytes`, found by one pass over the bytes that
 * follows strings (brackets and commas inside them do not count) and nesting: for files where
 * quickSlices cut wrong. Undefined when the outer array does not close at `close`.
 */
function exactSlices(bytes: Buffer, { open, close }: ArrayBounds, sliceBytes: number): Slice[] | undefined {
  const slices: Slice[] = [];
  let start = open + 1;
  let depth = 1;
  let inString = false;
  let position = start;
  for (; position < close; position += 1) {
    const byte = bytes[position];
    if (inString) {
      if (byte === BACKSLASH) position += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth += 1;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth -= 1;
    } else if (byte === COMMA && depth === 1 && position - start >= sliceBytes) {
      slices.push({ start, end: position });
      start = position + 1;
    }
  }
  if (depth !== 1 || inString || position !== close) return undefined;
  slices.push({ start, end: close });
  return slices;
}

/**
 * The original path, for whatever the slices did not cover: the whole text, parsed and validated
 * at once. Its errors are the job's messages; it returns items only if slicing missed a valid
 * file, as one batch (the output is the same bytes however the items are batched).
 */
function wholeFileItems(path: string, bytes: Buffer): InventoryItem[] {
  let text: string;
  try {
    text = bytes.toString("utf8");
  } catch {
    // Too long for one string (over 512 MB, which only slices can read): the job always read the
    // file with readFile(path, "utf8"), and reports what that says ("Invalid string length").
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      throw inputReadError(path, err);
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new JobError(EXIT_FAILURE, `${path} is not valid JSON: ${oneLineMessage(err)}`);
  }
  try {
    return parseInventory(data);
  } catch (err) {
    throw itemSourceError(path, err);
  }
}
