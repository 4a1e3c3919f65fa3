import { COUNTERS } from "../metrics/types.ts";
import { copyTextLine } from "./copyText.ts";
import type { ImportRow } from "./row.ts";

/**
 * Rows staged and merged at a time: the database merges one chunk while the next is read, and
 * memory stays flat whatever the file's size.
 */
export const CHUNK_ROWS = 25_000;

/** Good rows of a file as the staging table's COPY text; `seq` numbers them across chunks. */
export interface StagedChunk {
  rows: number;
  /** PostgreSQL's COPY text format, UTF-8: one line per row, `seq` first. */
  copyText: Uint8Array;
}

/** A column of the staging table: its SQL type, whether it may be null, and its value in a row. */
interface StagedColumn {
  name: string;
  type: string;
  nullable?: boolean;
  of: (row: ImportRow) => string | number | null;
}

/** The staging table's columns besides `seq`, in one list for its definition and its COPY text. */
const STAGED_COLUMNS: readonly StagedColumn[] = [
  { name: "platform", type: "text", of: (row) => row.platform },
  { name: "creator", type: "text", of: (row) => row.creator },
  { name: "followers", type: "int4", of: (row) => row.followers },
  { name: "campaign", type: "text", nullable: true, of: (row) => row.campaign },
  { name: "post_id", type: "text", of: (row) => row.postId },
  { name: "published_at", type: "timestamptz", of: (row) => row.publishedAt.toISOString() },
  { name: "fee", type: "numeric", nullable: true, of: (row) => row.fee },
  { name: "captured_at", type: "timestamptz", of: (row) => row.capturedAt.toISOString() },
  ...COUNTERS.map((counter) => ({
    name: counter,
    type: counter === "revenue" ? "numeric" : "int8",
    nullable: true,
    of: (row: ImportRow) => row[counter],
  })),
];

/** `import_row`'s column definitions: `seq`, the rows' order in the file, then the staged columns. */
export const STAGING_TABLE_COLUMNS = [
  "seq int8 PRIMARY KEY",
  ...STAGED_COLUMNS.map((column) => `${column.name} ${column.type}${column.nullable ? "" : " NOT NULL"}`),
].join(", ");

export const COPY_INTO_STAGING = `COPY import_row (seq, ${STAGED_COLUMNS.map((column) => column.name).join(", ")})`;

const encoder = new TextEncoder();

/** A chunk of rows as COPY text; `rowsBefore` good rows of the file came before it. */
export function stagedChunk(rows: readonly ImportRow[], rowsBefore: number): StagedChunk {
  let text = "";
  rows.forEach((row, index) => {
    text += copyTextLine([rowsBefore + index + 1, ...STAGED_COLUMNS.map((column) => column.of(row))]);
  });
  return { rows: rows.length, copyText: encoder.encode(text) };
}

/** Rows as staged chunks of CHUNK_ROWS (the last one shorter), numbered in their order. */
export async function* stagedChunksOf(
  rows: AsyncIterable<ImportRow> | Iterable<ImportRow>,
): AsyncGenerator<StagedChunk> {
  let batch: ImportRow[] = [];
  let rowsBefore = 0;
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === CHUNK_ROWS) {
      yield stagedChunk(batch, rowsBefore);
      rowsBefore += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) yield stagedChunk(batch, rowsBefore);
}
