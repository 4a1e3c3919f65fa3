import { stat } from "node:fs/promises";
import { type ImportSource, observeImportRows } from "../ops/metrics.ts";
import type { Store } from "../store/database.ts";
import { checkedWorkspaceSlug, WorkspaceSlugError } from "../store/workspaces.ts";
import {
  type CheckedChunks,
  checkedChunksOf,
  type OnBytesRead,
  type Problems,
  RefusedImport,
} from "./checkedRows.ts";
import { checkedChunksInThread } from "./fileReader.ts";
import { importStagedChunks, type RowsWritten } from "./importRows.ts";
import { type ImportProgress, progressBarOnStderr } from "./progress.ts";
import {
  formatOfPath,
  ImportFileError,
  type ImportFormat,
  openRecordStream,
  type RecordStream,
} from "./sources.ts";

/**
 * Files this large and larger are read and checked in a thread of their own, beside the one
 * writing to the database; for a smaller one, starting the thread costs more than it saves.
 */
const READ_IN_THREAD_FROM_BYTES = 4 * 1024 * 1024;

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
  /** Read and check the file in a thread of its own; by default for files of 4 MiB and more. */
  readInThread?: boolean;
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
  const onBytesRead: OnBytesRead = (bytesRead, refused) => {
    const progress: ImportProgress = { phase: refused ? "checking" : "writing", bytesRead, totalBytes };
    options.onProgress?.(progress);
    bar?.update(progress);
  };
  const file = { path: options.path, format, skipInvalid: options.skipInvalid };
  const inThread = options.readInThread ?? totalBytes >= READ_IN_THREAD_FROM_BYTES;
  try {
    return await importChecked(
      store,
      inThread
        ? checkedChunksInThread(file, onBytesRead)
        : checkedChunksOf(
            openRecordStream(file.path, format, file.skipInvalid),
            file.skipInvalid,
            onBytesRead,
          ),
      { workspaceSlug: options.workspaceSlug, source: "file", startedAt },
    );
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
  onBytesRead?: OnBytesRead;
}

/**
 * importFile's pass over records from any source (an HTTP body, say), checked in this thread:
 * the same checks, the same one transaction, the same result.
 */
export function importRecords(
  store: Store,
  source: RecordStream,
  options: ImportRecordsOptions,
): Promise<ImportResult> {
  return importChecked(store, checkedChunksOf(source, options.skipInvalid, options.onBytesRead), options);
}

/** Writes the checked chunks in one transaction, and says what was imported or why nothing was. */
async function importChecked(
  store: Store,
  checked: CheckedChunks,
  options: Pick<ImportRecordsOptions, "workspaceSlug" | "source" | "startedAt">,
): Promise<ImportResult> {
  const startedAt = options.startedAt ?? performance.now();
  try {
    const written = await importStagedChunks(store, options.workspaceSlug, checked.chunks);
    observeImportRows(options.source, written.rows);
    const { rowsRead, problems } = checked.outcome();
    return {
      ok: true,
      summary: {
        workspaceSlug: options.workspaceSlug,
        rowsRead,
        rowsSkipped: problems.count,
        skipped: problems,
        ...written,
        seconds: (performance.now() - startedAt) / 1000,
      },
    };
  } catch (error) {
    if (error instanceof RefusedImport) return error.result;
    if (error instanceof ImportFileError)
      return refusal("bad file", checked.outcome().rowsRead, error.message);
    throw error;
  }
}

/** Nothing imported, for one reason spelled out in `message`. */
function refusal(reason: "bad file" | "bad workspace", rowsRead: number, message: string): ImportResult {
  return { ok: false, reason, rowsRead, problems: { count: 1, messages: [message] } };
}
