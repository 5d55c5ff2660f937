// What a bench script prints: a Markdown section (tables by markdown-table) with the machine it ran on and its
// targets, each with how much it missed by.
import { appendFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { execa } from "execa";
import { markdownTable } from "markdown-table";

export const seconds = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`;
export const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
export const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
export const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}…` : text);

/** What the numbers were measured on; a script that runs no container passes `docker: false`. */
export async function describeMachine({ docker = true } = {}) {
  const firstLine = async (missing: string, file: string, ...args: string[]) => {
    const { exitCode, stdout } = await execa(file, args, { reject: false });
    return exitCode === 0 ? (stdout.trim().split("\n")[0] ?? missing) : missing;
  };
  const ask = (...args: string[]) => (docker ? firstLine("unavailable", "docker", ...args) : "not asked");
  const load = loadavg().map((value) => value.toFixed(2));
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: availableParallelism(),
    memoryGb: totalmem() / 2 ** 30,
    node: process.version,
    python: (await firstLine("not found", "python3", "--version")).replace(/^Python /, ""),
    docker: await ask("version", "--format", "{{.Server.Version}}"),
    compose: await ask("compose", "version", "--short"),
    /** At the start: other work on the machine skews timings. */
    load: load.join(" "),
  };
}

/** A measured value that must be at most (`≤`) or at least (`≥`) a limit. */
export function target(name: string, measured: number, kind: "≤" | "≥", limit: number, format: (v: number) => string) {
  return { name, measured, kind, limit, format };
}

function verdict({ measured, kind, limit, format }: ReturnType<typeof target>): string {
  if (!Number.isFinite(measured)) return "not measured";
  if (kind === "≤" ? measured <= limit : measured >= limit) return "met";
  const gap = Math.abs(measured - limit);
  const relative =
    limit === 0 ? "" : ` (${((gap / Math.abs(limit)) * 100).toFixed(0)}% ${kind === "≤" ? "over" : "under"})`;
  return `**MISSED** by ${format(gap)}${relative}`;
}

/** A Markdown section built piece by piece, printed on stdout and, with `--write <file>`, appended to that file. */
export class Section {
  private readonly parts: string[];

  constructor(...parts: string[]) {
    this.parts = parts;
  }

  /** A stack script's section: `## title`, then when and on what it ran. */
  static onStack(title: string, m: Awaited<ReturnType<typeof describeMachine>>, quick: boolean): Section {
    const mode = quick ? " **Quick smoke run** (`--quick`): short loads, small data; not the real numbers." : "";
    const machine = `${m.cores} cores (${m.cpu}), ${m.memoryGb.toFixed(1)} GB RAM, Docker ${m.docker}, Compose ${m.compose}`;
    const noisy = "The machine and its Docker engine are shared with other work, so numbers may be noisy.";
    return new Section(`## ${title}`, `${m.date}, ${machine}, Node ${m.node}.${mode} ${noisy}`);
  }

  paragraph(text: string): this {
    this.parts.push(text);
    return this;
  }

  /** `header` as Markdown writes it ("a | b | c"); `align`, a letter per column ("lrr"). */
  table(header: string, rows: ReadonlyArray<ReadonlyArray<string | number>>, align = ""): this {
    const cells = [header.split(" | "), ...rows.map((row) => row.map(String))];
    return this.paragraph(markdownTable(cells, { align: [...align] }));
  }

  targets(targets: Array<ReturnType<typeof target>>): this {
    const rows = targets.map((t) => [t.name, `${t.kind} ${t.format(t.limit)}`, t.format(t.measured), verdict(t)]);
    return this.table("target | limit | measured | verdict", rows);
  }

  async emit(writeTo: string | undefined): Promise<void> {
    const markdown = `\n${this.parts.join("\n\n")}\n`;
    process.stdout.write(markdown);
    if (writeTo) await appendFile(writeTo, markdown);
  }
}
