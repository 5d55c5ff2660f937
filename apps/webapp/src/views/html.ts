import escapeHtml from "escape-html";

/** Markup that is already safe: produced by `html`, never by hand from input. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | Date | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined) return "";
  // A number or an ISO timestamp has no character to escape, and a page has
  // a hundred of them (the recent visits): skip the scan.
  if (typeof value === "number") return String(value);
  if (value instanceof Date) return value.toISOString();
  return escapeHtml(String(value));
}

/**
 * A template tag that passes every interpolated value through escape-html
 * (dates as ISO strings, arrays item by item). Only the output of another
 * `html` template is inserted as it is, so nothing from the api, the
 * database or the environment can reach the page unescaped.
 */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}
