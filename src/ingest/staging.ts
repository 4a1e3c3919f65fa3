import { COUNTERS } from "../metrics/types.ts";
import { copyTextLine } from "./copyText.ts";
import type { ImportRow } from "./row.ts";

/**
 * Rows staged and merged at a time: the database merges one chunk while the next is read, and
 * memory stays flat whatever the file's size.
 */
const CHUNK_ROWS = 100_000;

/**
 * The first chunk is a tenth of the full size, so the database starts merging while most of the
 * file is still to be read, and each next one at most this much larger, up to the full size:
 * the database (about 2 s per 100,000 rows on PostgreSQL) then merges each chunk while the next
 * is read (about 1.6 s), and never waits for one.
 */
const FIRST_CHUNK_SHARE = 0.1;
const CHUNK_GROWTH = 1.25;

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

/**
 * Rows' COPY lines written straight into one growing buffer: no row, line or text of a whole chunk
 * is kept meanwhile, which held 25,000 rows at a time would cost the garbage collector more than
 * the lines themselves.
 */
class ChunkWriter {
  private bytes = new Uint8Array(1024 * 1024);
  private length = 0;
  rows = 0;

  add(row: ImportRow, seq: number): void {
    const line = copyTextLine([seq, ...STAGED_COLUMNS.map((column) => column.of(row))]);
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (this.length + 3 * line.length > this.bytes.length) this.grow(3 * line.length);
    this.length += encoder.encodeInto(line, this.bytes.subarray(this.length)).written;
    this.rows += 1;
  }

  /** The rows added since the last chunk taken, as a chunk of their own. */
  take(): StagedChunk {
    const chunk = { rows: this.rows, copyText: this.bytes.slice(0, this.length) };
    this.length = 0;
    this.rows = 0;
    return chunk;
  }

  private grow(needed: number): void {
    const bytes = new Uint8Array(Math.max(2 * this.bytes.length, this.length + needed));
    bytes.set(this.bytes.subarray(0, this.length));
    this.bytes = bytes;
  }
}

/**
 * Rows as staged chunks of up to `chunkRows`, numbered in their order: growing from a tenth of
 * `chunkRows` to `chunkRows`, the last one shorter.
 */
export async function* stagedChunksOf(
  rows: AsyncIterable<ImportRow> | Iterable<ImportRow>,
  chunkRows = CHUNK_ROWS,
): AsyncGenerator<StagedChunk> {
  const writer = new ChunkWriter();
  let seq = 0;
  let rowsInChunk = Math.ceil(chunkRows * FIRST_CHUNK_SHARE);
  for await (const row of rows) {
    seq += 1;
    writer.add(row, seq);
    if (writer.rows === rowsInChunk) {
      yield writer.take();
      rowsInChunk = Math.min(chunkRows, Math.ceil(rowsInChunk * CHUNK_GROWTH));
    }
  }
  if (writer.rows > 0) yield writer.take();
}
