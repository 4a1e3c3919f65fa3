/**
 * One row for `COPY … FROM STDIN` in PostgreSQL's text format: values separated by tabs, `\N`
 * for null, and backslash, tab, newline and carriage return escaped; ends with a newline.
 */
export function copyTextLine(values: readonly (string | number | null)[]): string {
  // Concatenated rather than mapped and joined: the import builds one line per row it stages.
  let line = "";
  for (let index = 0; index < values.length; index += 1) {
    line += index === 0 ? copyTextValue(values[index] ?? null) : `\t${copyTextValue(values[index] ?? null)}`;
  }
  return `${line}\n`;
}

function copyTextValue(value: string | number | null): string {
  if (value === null) return "\\N";
  if (typeof value === "number") return String(value);
  return NEEDS_ESCAPE.test(value)
    ? value.replace(ESCAPED, (character) => COPY_ESCAPES[character] ?? character)
    : value;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
