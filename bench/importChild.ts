/**
 * One import in a process of its own, forked by importBench.ts: its peak RSS (maxRSS) then
 * belongs to this import alone. Reads an ImportRequest (JSON) from argv, sends an ImportMeasurement.
 */
import { statSync } from "node:fs";
import { importFile } from "../src/ingest/importFile.ts";
import { openStore } from "../src/store/database.ts";
import type { ImportMeasurement, ImportRequest } from "./importBench.ts";

async function measureImport(request: ImportRequest): Promise<ImportMeasurement> {
  const store = await openStore(request.location);
  try {
    const baselineRssBytes = process.memoryUsage().rss;
    const result = await importFile(store, {
      path: request.csvPath,
      workspaceSlug: request.workspace,
      skipInvalid: false,
    });
    if (!result.ok) throw new Error(`The import failed: ${result.problems.messages.join("; ")}`);
    const { summary } = result;
    return {
      fileBytes: statSync(request.csvPath).size,
      rows: summary.rows,
      creators: summary.creators,
      posts: summary.posts,
      snapshots: summary.snapshots,
      seconds: summary.seconds,
      baselineRssBytes,
      // maxRSS is in kibibytes.
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await store.close();
  }
}

function send(message: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send?.(message, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

const request = JSON.parse(process.argv[2] ?? "{}") as ImportRequest;
try {
  await send({ measurement: await measureImport(request) });
} catch (error) {
  await send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
process.disconnect?.();
