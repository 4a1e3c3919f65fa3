import { stat } from "node:fs/promises";
import { type ImportSource, observeImportRows } from "../ops/metrics.ts";
import type { Store } from "../store/database.ts";
import { checkedWorkspaceSlug, WorkspaceSlugError } from "../store/workspaces.ts";
import { importRows, type RowsWritten } from "./importRows.ts";
import { type ImportProgress, progressBarOnStderr } from "./progress.ts";
import { checkRecord, type ImportRow } from "./row.ts";
import {
  formatOfPath,
  ImportFileError,
  type ImportFormat,
  openRecordStream,
  type RecordStream,
} from "./sources.ts";

/** How many problem messages an import keeps; the rest are only counted. */
const KEPT_PROBLEMS = 20;

/** Problems found, the first few spelled out: "line 7: fee: expected …". */
export interface Problems {
  count: number;
  messages: string[];
}

export interface ImportFileOptions {
  path: string;
  workspaceSlug: string;
  /** Import the good rows and report the bad ones, instead of importing nothing. */
  skipInvalid: boolean;
  /** CSV or JSON; by default JSON when the file name ends in .json, CSV otherwise. */
  format?: ImportFormat;
  onProgress?: (progress: ImportProgress) => void;
  /** Draw a progress bar on stderr (only when stderr is a terminal). */
  progress?: boolean;
}

export interface ImportSummary extends RowsWritten {
  workspaceSlug: string;
  rowsRead: number;
  rowsSkipped: number;
  /** The rows skipped (with skipInvalid), and why. */
  skipped: Problems;
  seconds: number;
}

export type ImportResult =
  | { ok: true; summary: ImportSummary }
  /** Nothing was written: bad rows (without skipInvalid), or a file that cannot be read as a whole. */
  | { ok: false; reason: "bad rows" | "bad file" | "bad workspace"; rowsRead: number; problems: Problems };

/** Records between progress reports: frequent enough for a bar, rare enough to cost nothing. */
const PROGRESS_EVERY = 1_000;

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

/** Thrown from inside the import's transaction to roll it back, carrying what importFile returns. */
class RefusedImport extends Error {
  constructor(readonly result: ImportResult) {
    super("the import was refused");
  }
}

/**
 * Imports a CSV or JSON file in one streaming pass and one transaction: each row is checked as
 * it is read, and the good ones are written in batches. A bad row (without skipInvalid) stops the
 * writing; the rest of the file is only checked, then everything is rolled back. Database errors
 * are thrown (and nothing is kept).
 */
export async function importFile(store: Store, options: ImportFileOptions): Promise<ImportResult> {
  const startedAt = performance.now();
  const format = options.format ?? formatOfPath(options.path);
  let totalBytes: number;
  try {
    checkedWorkspaceSlug(options.workspaceSlug);
    totalBytes = (await stat(options.path)).size;
  } catch (error) {
    if (error instanceof WorkspaceSlugError) return refusal("bad workspace", 0, error.message);
    return refusal("bad file", 0, `cannot read ${options.path}: ${(error as Error).message}`);
  }
  const bar = options.progress ? progressBarOnStderr() : undefined;
  try {
    return await importRecords(store, openRecordStream(options.path, format, options.skipInvalid), {
      workspaceSlug: options.workspaceSlug,
      skipInvalid: options.skipInvalid,
      source: "file",
      startedAt,
      onBytesRead: (bytesRead, refused) => {
        const progress: ImportProgress = { phase: refused ? "checking" : "writing", bytesRead, totalBytes };
        options.onProgress?.(progress);
        bar?.update(progress);
      },
    });
  } finally {
    bar?.stop();
  }
}

export interface ImportRecordsOptions {
  workspaceSlug: string;
  skipInvalid: boolean;
  /** Where the rows came from, for the rows counted in /metrics. */
  source: ImportSource;
  /** performance.now() when the import began; now by default. */
  startedAt?: number;
  /** Told every PROGRESS_EVERY records, and at the end; `refused`: the rest is only checked. */
  onBytesRead?: (bytesRead: number, refused: boolean) => void;
}

/**
 * importFile's pass over records from any source (a file, an HTTP body): the same checks, the
 * same one transaction, the same result.
 */
export async function importRecords(
  store: Store,
  source: RecordStream,
  options: ImportRecordsOptions,
): Promise<ImportResult> {
  const startedAt = options.startedAt ?? performance.now();
  const reading = new Reading(options.skipInvalid);
  const report = (bytesRead: number) => options.onBytesRead?.(bytesRead, reading.refused);
  try {
    const rows = validRows(source, reading, report);
    const written = await importRows(store, options.workspaceSlug, rows);
    observeImportRows(options.source, written.rows);
    return {
      ok: true,
      summary: {
        workspaceSlug: options.workspaceSlug,
        rowsRead: reading.rowsRead,
        rowsSkipped: reading.problems.count,
        skipped: reading.problems,
        ...written,
        seconds: (performance.now() - startedAt) / 1000,
      },
    };
  } catch (error) {
    if (error instanceof RefusedImport) return error.result;
    if (error instanceof ImportFileError) return refusal("bad file", reading.rowsRead, error.message);
    throw error;
  }
}

/** Nothing imported, for one reason spelled out in `message`. */
function refusal(reason: "bad file" | "bad workspace", rowsRead: number, message: string): ImportResult {
  return { ok: false, reason, rowsRead, problems: { count: 1, messages: [message] } };
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
