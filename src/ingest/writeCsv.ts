import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { IMPORT_COLUMNS, type ImportColumn, type ImportRow, NEEDS_FORMULA_ESCAPE } from "./row.ts";

export type ImportRecord = Record<ImportColumn, string | number | null>;

/** A row keyed by the import columns, as a JSON import holds it (blank fee or campaign is null). */
export function toImportRecord(row: ImportRow): ImportRecord {
  const { platform, creator, followers, campaign, postId, publishedAt, fee, capturedAt, ...counters } = row;
  return {
    platform,
    creator,
    followers,
    campaign,
    post_id: postId,
    published_at: publishedAt.toISOString(),
    fee,
    captured_at: capturedAt.toISOString(),
    ...counters,
  };
}

/** A CSV field; a text a spreadsheet would run as a formula gets the "'" that `importFile` drops. */
function csvField(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  const safe = typeof value === "string" && NEEDS_FORMULA_ESCAPE.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows joined per chunk: one write per row would make the stream, not the data, the cost. */
const ROWS_PER_CHUNK = 1_000;

/** The header line, then chunks of CSV lines; lazy, so any number of rows fits. */
export function* csvChunks(rows: Iterable<ImportRow>): Generator<string> {
  yield `${IMPORT_COLUMNS.join(",")}\n`;
  let lines: string[] = [];
  for (const row of rows) {
    const record = toImportRecord(row);
    lines.push(IMPORT_COLUMNS.map((column) => csvField(record[column])).join(","));
    if (lines.length === ROWS_PER_CHUNK) {
      yield `${lines.join("\n")}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join("\n")}\n`;
}

/** Streams rows into a CSV file that `importFile` reads back. */
export async function writeRowsCsv(path: string, rows: Iterable<ImportRow>): Promise<void> {
  await pipeline(Readable.from(csvChunks(rows)), createWriteStream(path));
}
