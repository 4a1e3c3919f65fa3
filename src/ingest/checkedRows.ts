import { checkRecord, type ImportRow } from "./row.ts";
import type { RecordStream } from "./sources.ts";
import { type StagedChunk, stagedChunksOf } from "./staging.ts";

/** How many problem messages an import keeps; the rest are only counted. */
const KEPT_PROBLEMS = 20;

/** Records between progress reports: frequent enough for a bar, rare enough to cost nothing. */
const PROGRESS_EVERY = 1_000;

/** Problems found, the first few spelled out: "line 7: fee: expected …". */
export interface Problems {
  count: number;
  messages: string[];
}

/** What a pass over a file found: every record read, and the bad ones. */
export interface ReadingOutcome {
  rowsRead: number;
  problems: Problems;
}

/** A bad file refused: nothing of it is written. */
export interface RefusedRows extends ReadingOutcome {
  ok: false;
  reason: "bad rows";
}

/** Thrown at the end of a file that bad rows refused (without skipInvalid), rolling back the import. */
export class RefusedImport extends Error {
  constructor(readonly result: RefusedRows) {
    super("the import was refused");
  }
}

/** Told every PROGRESS_EVERY records, and at the end; `refused`: the rest is only checked. */
export type OnBytesRead = (bytesRead: number, refused: boolean) => void;

/**
 * A file's good rows as staged chunks, checked as the import asks for them. They end with
 * RefusedImport when bad rows refused the file, or an ImportFileError when it cannot be read.
 */
export interface CheckedChunks {
  chunks: AsyncIterable<StagedChunk>;
  /** What was read so far: the whole file once `chunks` has ended. */
  outcome(): ReadingOutcome;
}

/** What the one pass over the file has found so far. */
class Reading {
  rowsRead = 0;
  readonly problems: Problems = { count: 0, messages: [] };

  constructor(private readonly skipInvalid: boolean) {}

  /** Without skipInvalid, one bad row refuses the whole file. */
  get refused(): boolean {
    return this.problems.count > 0 && !this.skipInvalid;
  }

  addProblem(message: string): void {
    this.problems.count += 1;
    if (this.problems.messages.length < KEPT_PROBLEMS) this.problems.messages.push(message);
  }
}

/** The records of `source` checked in this thread, their good rows staged a chunk at a time. */
export function checkedChunksOf(
  source: RecordStream,
  skipInvalid: boolean,
  onBytesRead?: OnBytesRead,
): CheckedChunks {
  const reading = new Reading(skipInvalid);
  const report = (bytesRead: number) => onBytesRead?.(bytesRead, reading.refused);
  return {
    chunks: stagedChunksOf(validRows(source, reading, report)),
    outcome: () => ({ rowsRead: reading.rowsRead, problems: reading.problems }),
  };
}

/**
 * The good rows of the file, each checked as it is read; the bad ones go to `reading`. Once the
 * file is refused no row is yielded any more, but it is still read to its end to count every
 * problem; then RefusedImport is thrown, which rolls back the transaction writing these rows.
 */
async function* validRows(
  source: RecordStream,
  reading: Reading,
  onBytesRead: (bytesRead: number) => void,
): AsyncGenerator<ImportRow> {
  for await (const record of source.records) {
    reading.rowsRead += 1;
    const check = checkRecord(record);
    if (!check.ok) reading.addProblem(check.problem);
    else if (!reading.refused) yield check.row;
    if (reading.rowsRead % PROGRESS_EVERY === 0) onBytesRead(source.bytesRead());
  }
  onBytesRead(source.bytesRead());
  if (reading.refused) {
    throw new RefusedImport({
      ok: false,
      reason: "bad rows",
      rowsRead: reading.rowsRead,
      problems: reading.problems,
    });
  }
}
