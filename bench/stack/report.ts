import { appendFile } from "node:fs/promises";
import { markdownTable } from "markdown-table";
import type { Machine } from "../lib/machine.ts";

/** One target: a measured value against a limit, with how much it missed by. */
export interface Target {
  name: string;
  measured: number;
  limit: number;
  /** `max`: measured must be at most the limit; `min`: at least. */
  kind: "max" | "min";
  format: (value: number) => string;
}

export function targetMet(target: Target): boolean {
  return target.kind === "max" ? target.measured <= target.limit : target.measured >= target.limit;
}

/** "met", or "MISSED by <gap> (<n>% over/under the limit)". */
export function verdict(target: Target): string {
  if (!Number.isFinite(target.measured)) return "not measured";
  if (targetMet(target)) return "met";
  const gap = Math.abs(target.measured - target.limit);
  const relative =
    target.limit === 0
      ? ""
      : ` (${((gap / Math.abs(target.limit)) * 100).toFixed(0)}% ${target.kind === "max" ? "over" : "under"})`;
  return `**MISSED** by ${target.format(gap)}${relative}`;
}

/** A Markdown section built piece by piece, printed on stdout and optionally appended to a file. */
export class Section {
  private readonly parts: string[] = [];

  constructor(title: string, machine: Machine, flags: { quick?: boolean }) {
    this.parts.push(`## ${title}`);
    const mode = flags.quick ? " **Quick smoke run** (`--quick`): short loads, small data; not the real numbers." : "";
    this.parts.push(
      `${machine.date}, ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb.toFixed(1)} GB RAM, ` +
        `Docker ${machine.docker}, Compose ${machine.compose}, Node ${machine.node}.${mode} ` +
        "The machine and its Docker engine are shared with other work, so numbers may be noisy.",
    );
  }

  paragraph(text: string): this {
    this.parts.push(text);
    return this;
  }

  table(header: string[], rows: Array<Array<string | number>>): this {
    this.parts.push(markdownTable([header, ...rows.map((row) => row.map(String))]));
    return this;
  }

  targets(targets: Target[]): this {
    return this.table(
      ["target", "limit", "measured", "verdict"],
      targets.map((t) => [
        t.name,
        `${t.kind === "max" ? "≤" : "≥"} ${t.format(t.limit)}`,
        t.format(t.measured),
        verdict(t),
      ]),
    );
  }

  toMarkdown(): string {
    return `${this.parts.join("\n\n")}\n`;
  }

  /** Prints the section; with `--write <file>`, appends it to that file too. */
  async emit(writeTo: string | undefined): Promise<void> {
    const markdown = this.toMarkdown();
    process.stdout.write(`\n${markdown}`);
    if (writeTo) await appendFile(writeTo, `\n${markdown}`);
  }
}
