const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Whether text (trimmed) is a plain decimal number: "5", "-1.5", ".5", "2e3"; not "0x10", "", "abc". */
export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text.trim());
}

/** Plain decimal text to a number; anything else (hex, "", "abc") becomes NaN so a schema rejects it. */
export function decimalText(text: string): number {
  return isDecimalText(text) ? Number(text.trim()) : Number.NaN;
}
