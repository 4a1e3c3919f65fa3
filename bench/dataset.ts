import { existsSync, mkdirSync, renameSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { writeDemoCsv } from "../src/ingest/demo.ts";

/** Where every output goes (git-ignored): CSVs, PGlite folders, results. */
export const OUT_DIR = fileURLToPath(new URL("out/", import.meta.url));

/** The moment the generated data ends, and the `now` the queries are asked at. */
export const ANCHOR = new Date("2026-03-02T09:00:00Z");

export const WORKSPACE = "bench";

/** The demo generator's size knobs; snapshots are daily, up to 60 per post and up to the anchor. */
export interface DatasetSize {
  creators: number;
  posts: number;
  days: number;
}

export function sizeLabel(size: DatasetSize): string {
  return `c${size.creators}-p${size.posts}-d${size.days}`;
}

/** The same data with `factor` times the creators and posts over the same days: about `factor` times the rows. */
export function scaledBy(size: DatasetSize, factor: number): DatasetSize {
  return { creators: size.creators * factor, posts: size.posts * factor, days: size.days };
}

export function demoOptions(size: DatasetSize) {
  return { now: ANCHOR, creators: size.creators, posts: size.posts, days: size.days };
}

/**
 * The demo data of this size as CSV, written once: a file of the same size is reused. Written
 * under a temporary name first, so an interrupted run leaves no half file to reuse.
 */
export async function ensureCsv(size: DatasetSize): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const path = `${OUT_DIR}demo-${sizeLabel(size)}.csv`;
  if (existsSync(path)) return path;
  const partial = `${path}.partial`;
  await writeDemoCsv(partial, demoOptions(size));
  renameSync(partial, path);
  return path;
}
