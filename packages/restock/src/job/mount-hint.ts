import { basename, dirname } from "node:path";

/**
 * The usual cause of a missing file or folder in Docker is a missing bind
 * mount: says which folder to mount where, for the path that was missing.
 */
export function mountHint(path: string, role: "input" | "output"): string {
  const folder = dirname(path);
  const what = role === "input" ? `a folder holding ${basename(path)} at ${folder}` : `a folder at ${folder} to write ${basename(path)} into`;
  return `Mount ${what}, e.g. docker run -v "$PWD/data:${folder}" ...`;
}
