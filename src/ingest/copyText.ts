/**
 * One row for `COPY … FROM STDIN` in PostgreSQL's text format: values separated by tabs, `\N`
 * for null, and backslash, tab, newline and carriage return escaped; ends with a newline.
 */
export function copyTextLine(values: readonly (string | number | null)[]): string {
  return `${values.map(copyTextValue).join("\t")}\n`;
}

function copyTextValue(value: string | number | null): string {
  if (value === null) return "\\N";
  if (typeof value === "number") return String(value);
  return value.replace(/[\\\t\n\r]/g, (character) => COPY_ESCAPES[character] ?? character);
}

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
