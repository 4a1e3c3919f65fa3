import { on } from "node:events";
import { Worker } from "node:worker_threads";
import {
  type CheckedChunks,
  type OnBytesRead,
  type ReadingOutcome,
  RefusedImport,
  type RefusedRows,
} from "./checkedRows.ts";
import { ImportFileError, type ImportFormat } from "./sources.ts";
import type { StagedChunk } from "./staging.ts";

export interface FileToRead {
  path: string;
  format: ImportFormat;
  skipInvalid: boolean;
}

/** What the reading thread tells the import. */
export type FileReaderMessage =
  | { kind: "progress"; bytesRead: number; refused: boolean }
  | { kind: "chunk"; chunk: StagedChunk }
  | { kind: "end"; outcome: ReadingOutcome }
  | { kind: "refused"; result: RefusedRows }
  | { kind: "fileError"; message: string; outcome: ReadingOutcome }
  /** Anything else that went wrong: thrown like any error of the import (logged, never shown). */
  | { kind: "failed"; message: string };

/** This module's own extension: .ts from the sources, .js once compiled. */
const extension = new URL(import.meta.url).pathname.endsWith(".ts") ? ".ts" : ".js";
const THREAD_URL = new URL(`./fileReaderThread${extension}`, import.meta.url);

function startReaderThread(file: FileToRead): Worker {
  return extension === ".ts"
    ? new Worker(new URL("./typescriptThread.mjs", import.meta.url), {
        workerData: { entry: THREAD_URL.href, file },
      })
    : new Worker(THREAD_URL, { workerData: { file } });
}

/**
 * The file's good rows as staged chunks, read, checked and turned into COPY text in a thread of
 * its own, so that this one only writes them: the same chunks, outcome and errors as checkedChunksOf
 * over the file. The thread starts when the first chunk is asked for and ends with the chunks.
 */
export function checkedChunksInThread(file: FileToRead, onBytesRead?: OnBytesRead): CheckedChunks {
  let outcome: ReadingOutcome = { rowsRead: 0, problems: { count: 0, messages: [] } };
  async function* chunks(): AsyncGenerator<StagedChunk> {
    const worker = startReaderThread(file);
    const exited = new AbortController();
    worker.once("exit", () => exited.abort());
    try {
      for await (const [message] of on(worker, "message", { signal: exited.signal })) {
        const told = message as FileReaderMessage;
        switch (told.kind) {
          case "progress":
            onBytesRead?.(told.bytesRead, told.refused);
            break;
          case "chunk":
            worker.postMessage("more");
            yield told.chunk;
            break;
          case "end":
            outcome = told.outcome;
            return;
          case "refused":
            outcome = told.result;
            throw new RefusedImport(told.result);
          case "fileError":
            outcome = told.outcome;
            throw new ImportFileError(told.message);
          case "failed":
            throw new Error(`Reading the file failed: ${told.message}`);
        }
      }
    } catch (error) {
      if (exited.signal.aborted && (error as Error).name === "AbortError") {
        throw new Error("The thread reading the file stopped before the end of the file");
      }
      throw error;
    } finally {
      await worker.terminate();
    }
  }
  return { chunks: chunks(), outcome: () => outcome };
}
