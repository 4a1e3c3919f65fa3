import { fork } from "node:child_process";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import type { StoreKind, StoreLocation } from "../src/store/database.ts";
import { type DatasetSize, ensureCsv, halfOf, WORKSPACE } from "./dataset.ts";
import { progress } from "./report.ts";
import {
  type BenchTarget,
  freshPgliteTarget,
  importedPgliteTarget,
  markPgliteImported,
  removePgliteTarget,
  type ScratchDatabases,
  STORE_NAMES,
} from "./targets.ts";

export interface ImportRequest {
  csvPath: string;
  location: StoreLocation;
  workspace: string;
}

/** What one import in its own process measured. */
export interface ImportMeasurement {
  fileBytes: number;
  rows: number;
  creators: number;
  posts: number;
  snapshots: number;
  /** importFile's own time: reading, checking and writing the file, the transaction included. */
  seconds: number;
  /** RSS once the store is open, before the import starts. */
  baselineRssBytes: number;
  peakRssBytes: number;
}

export interface ImportFigures extends ImportMeasurement {
  store: StoreKind;
  size: DatasetSize;
  rowsPerSecond: number;
}

type ChildMessage = { measurement: ImportMeasurement } | { error: string };

const CHILD = fileURLToPath(new URL("importChild.ts", import.meta.url));

/** Imports the CSV into the target in a child process of its own. */
export function importInChild(csvPath: string, target: BenchTarget): Promise<ImportMeasurement> {
  const request: ImportRequest = { csvPath, location: target.location, workspace: WORKSPACE };
  const child = fork(CHILD, [JSON.stringify(request)], { execArgv: ["--import", "tsx"] });
  return new Promise((resolve, reject) => {
    let answered = false;
    child.once("message", (message: ChildMessage) => {
      answered = true;
      if ("error" in message) reject(new Error(`Import into ${target.name}: ${message.error}`));
      else resolve(message.measurement);
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (!answered)
        reject(new Error(`The import into ${target.name} exited with code ${code} and no answer`));
    });
  });
}

async function measuredImport(size: DatasetSize, target: BenchTarget): Promise<ImportFigures> {
  const csvPath = await ensureCsv(size);
  progress(`import: ${basename(csvPath)} into ${STORE_NAMES[target.kind]} ${target.name} …`);
  const measurement = await importInChild(csvPath, target);
  return { ...measurement, store: target.kind, size, rowsPerSecond: measurement.rows / measurement.seconds };
}

/**
 * Imports half the data, then all of it, each into a fresh store of this kind. The half store is
 * removed at once; the full one is returned for the query benchmark (the caller disposes of it).
 */
export async function runImportBenchmark(
  kind: StoreKind,
  size: DatasetSize,
  databases: ScratchDatabases,
): Promise<{ figures: ImportFigures[]; fullTarget: BenchTarget }> {
  const half = halfOf(size);
  if (kind === "pglite") {
    const halfFigures = await measuredImport(half, freshPgliteTarget(half));
    removePgliteTarget(half);
    const fullTarget = freshPgliteTarget(size);
    const fullFigures = await measuredImport(size, fullTarget);
    markPgliteImported(size);
    return { figures: [halfFigures, fullFigures], fullTarget };
  }
  const halfTarget = await databases.create();
  const halfFigures = await measuredImport(half, halfTarget);
  await databases.drop(halfTarget);
  const fullTarget = await databases.create();
  return { figures: [halfFigures, await measuredImport(size, fullTarget)], fullTarget };
}

/** A store holding the full data for the queries: a finished earlier PGlite import is reused. */
export async function importedTarget(
  kind: StoreKind,
  size: DatasetSize,
  databases: ScratchDatabases,
): Promise<BenchTarget> {
  const earlier = kind === "pglite" ? importedPgliteTarget(size) : undefined;
  if (earlier) {
    progress(`queries: reusing the import in ${earlier.name}`);
    return earlier;
  }
  const target = kind === "pglite" ? freshPgliteTarget(size) : await databases.create();
  await measuredImport(size, target);
  if (kind === "pglite") markPgliteImported(size);
  return target;
}
