import { stat } from "node:fs/promises";
import type { Store } from "../store/database.ts";
import { importRows, type RowsWritten } from "./importRows.ts";
import { type ImportProgress, progressBarOnStderr } from "./progress.ts";
import { checkRecord, type ImportRow } from "./row.ts";
import { formatOfPath, ImportFileError, type ImportFormat, openRecordStream } from "./sources.ts";

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
  | { ok: false; reason: "bad rows" | "bad file"; rowsRead: number; problems: Problems };

/** Records between progress reports: frequent enough for a bar, rare enough to cost nothing. */
const PROGRESS_EVERY = 1_000;

/**
 * Imports a CSV or JSON file in two streaming passes: the first checks every row, the second
 * writes the good ones in one transaction. Database errors are thrown (and nothing is kept).
 */
export async function importFile(store: Store, options: ImportFileOptions): Promise<ImportResult> {
  const startedAt = performance.now();
  const format = options.format ?? formatOfPath(options.path);
  let totalBytes: number;
  try {
    totalBytes = (await stat(options.path)).size;
  } catch (error) {
    return fileProblem(0, `cannot read ${options.path}: ${(error as Error).message}`);
  }
  const bar = options.progress ? progressBarOnStderr() : undefined;
  const report = (phase: ImportProgress["phase"], bytesRead: number) => {
    const progress = { phase, bytesRead, totalBytes };
    options.onProgress?.(progress);
    bar?.update(progress);
  };

  let rowsRead = 0;
  try {
    const checked = await checkFile(options.path, format, (bytesRead) => report("checking", bytesRead));
    rowsRead = checked.rowsRead;
    if (checked.problems.count > 0 && !options.skipInvalid) {
      return { ok: false, reason: "bad rows", rowsRead, problems: checked.problems };
    }
    const validRows = readValidRows(options.path, format, (bytesRead) => report("writing", bytesRead));
    const written = await importRows(store, options.workspaceSlug, validRows);
    return {
      ok: true,
      summary: {
        workspaceSlug: options.workspaceSlug,
        rowsRead,
        rowsSkipped: checked.problems.count,
        skipped: checked.problems,
        ...written,
        seconds: (performance.now() - startedAt) / 1000,
      },
    };
  } catch (error) {
    if (error instanceof ImportFileError) return fileProblem(rowsRead, error.message);
    throw error;
  } finally {
    bar?.stop();
  }
}

function fileProblem(rowsRead: number, message: string): ImportResult {
  return { ok: false, reason: "bad file", rowsRead, problems: { count: 1, messages: [message] } };
}

function addProblem(problems: Problems, message: string): void {
  problems.count += 1;
  if (problems.messages.length < KEPT_PROBLEMS) problems.messages.push(message);
}

/** Pass 1: every row checked, nothing kept but the count and the first problems. */
async function checkFile(path: string, format: ImportFormat, onBytesRead: (bytesRead: number) => void) {
  const source = openRecordStream(path, format);
  const problems: Problems = { count: 0, messages: [] };
  let rowsRead = 0;
  for await (const record of source.records) {
    rowsRead += 1;
    const check = checkRecord(record);
    if (!check.ok) addProblem(problems, check.problem);
    if (rowsRead % PROGRESS_EVERY === 0) onBytesRead(source.bytesRead());
  }
  onBytesRead(source.bytesRead());
  return { rowsRead, problems };
}

/** Pass 2: the rows that passed, read again from the file so only a batch is ever in memory. */
async function* readValidRows(
  path: string,
  format: ImportFormat,
  onBytesRead: (bytesRead: number) => void,
): AsyncGenerator<ImportRow> {
  const source = openRecordStream(path, format, { withLines: false });
  let recordsRead = 0;
  for await (const record of source.records) {
    recordsRead += 1;
    const check = checkRecord(record);
    if (check.ok) yield check.row;
    if (recordsRead % PROGRESS_EVERY === 0) onBytesRead(source.bytesRead());
  }
  onBytesRead(source.bytesRead());
}
