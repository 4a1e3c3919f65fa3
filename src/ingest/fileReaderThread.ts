/**
 * The thread that reads and checks a file for importFile (fileReader.ts): it opens the file, checks
 * each record and posts the good rows as staged chunks, at most CHUNKS_AHEAD ahead of the import.
 */
import { parentPort, workerData } from "node:worker_threads";
import { checkedChunksOf, RefusedImport } from "./checkedRows.ts";
import type { FileReaderMessage, FileToRead } from "./fileReader.ts";
import { ImportFileError, openRecordStream } from "./sources.ts";

/** Chunks posted and not yet taken by the import: enough to keep it busy, few enough to keep memory flat. */
const CHUNKS_AHEAD = 2;

const port = parentPort;
if (!port) throw new Error("fileReaderThread runs as a worker thread");
const file = (workerData as { file: FileToRead }).file;

let credit = CHUNKS_AHEAD;
let creditGiven: (() => void) | undefined;
port.on("message", () => {
  credit += 1;
  creditGiven?.();
});

const post = (message: FileReaderMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

const checked = checkedChunksOf(
  openRecordStream(file.path, file.format, file.skipInvalid),
  file.skipInvalid,
  (bytesRead, refused) => post({ kind: "progress", bytesRead, refused }),
);
try {
  for await (const chunk of checked.chunks) {
    while (credit === 0) await new Promise<void>((resolve) => (creditGiven = resolve));
    credit -= 1;
    post({ kind: "chunk", chunk }, [chunk.copyText.buffer as ArrayBuffer]);
  }
  post({ kind: "end", outcome: checked.outcome() });
} catch (error) {
  if (error instanceof RefusedImport) post({ kind: "refused", result: error.result });
  else if (error instanceof ImportFileError)
    post({ kind: "fileError", message: error.message, outcome: checked.outcome() });
  else post({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
}
port.close();
