import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * True when node runs the module whose `import.meta` this is, false when a
 * test imports it. Node before 24.2 has no `import.meta.main`.
 */
export function isEntryPoint(meta: ImportMeta): boolean {
  if (meta.main !== undefined) return meta.main;
  try {
    return realpathSync(process.argv[1] ?? "") === fileURLToPath(meta.url);
  } catch {
    return false;
  }
}
