import { fork } from "node:child_process";
import { rmSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import type { StoreKind, StoreLocation } from "../src/store/database.ts";
import { type DatasetSize, ensureCsv, OUT_DIR, WORKSPACE } from "./dataset.ts";
import { importFloorSeconds, pgliteImportFloorSeconds } from "./importFloor.ts";
import { progress } from "./report.ts";
import {
  type BenchTarget,
  freshPgliteTarget,
  importedPgliteTarget,
  markPgliteImported,
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
  scale: number;
  size: DatasetSize;
  rowsPerSecond: number;
  /** The same store's COPY + set-based normalise of the same file, measured in the same run. */
  floorRowsPerSecond: number;
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

async function measuredImport(size: DatasetSize, target: BenchTarget): Promise<ImportMeasurement> {
  const csvPath = await ensureCsv(size);
  progress(`import: ${basename(csvPath)} into ${STORE_NAMES[target.kind]} ${target.name} …`);
  return importInChild(csvPath, target);
}

/** The store's floor for importing the file of this size, in a scratch database or folder of its own. */
export async function measureImportFloor(
  kind: StoreKind,
  size: DatasetSize,
  databases: ScratchDatabases,
): Promise<number> {
  const csvPath = await ensureCsv(size);
  if (kind === "pglite") return measurePgliteImportFloor(csvPath);
  const target = await databases.create();
  try {
    progress(`import floor: COPY + set-based normalise of ${basename(csvPath)} in ${target.name} …`);
    return await importFloorSeconds(csvPath, target);
  } finally {
    await databases.drop(target);
  }
}

async function measurePgliteImportFloor(csvPath: string): Promise<number> {
  const dataDir = `${OUT_DIR}pglite-floor`;
  rmSync(dataDir, { recursive: true, force: true });
  try {
    progress(`import floor: COPY + set-based normalise of ${basename(csvPath)} in bench/out/pglite-floor …`);
    return await pgliteImportFloorSeconds(csvPath, dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Imports the data of this size into a fresh store of this kind and returns the figures (beside
 * the floor measured for the same file) and the store, for the query benchmark (the caller
 * disposes of it).
 */
export async function runImportBenchmark(
  kind: StoreKind,
  scale: number,
  size: DatasetSize,
  floorSeconds: number,
  databases: ScratchDatabases,
): Promise<{ figures: ImportFigures; target: BenchTarget }> {
  const target = kind === "pglite" ? freshPgliteTarget(size) : await databases.create();
  const measurement = await measuredImport(size, target);
  if (kind === "pglite") markPgliteImported(size);
  const figures: ImportFigures = {
    ...measurement,
    store: kind,
    scale,
    size,
    rowsPerSecond: measurement.rows / measurement.seconds,
    floorRowsPerSecond: measurement.rows / floorSeconds,
  };
  return { figures, target };
}

/** A store holding the data of this size for the queries: a finished earlier PGlite import is reused. */
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
