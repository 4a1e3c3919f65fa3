import { writeFileSync } from "node:fs";
import { type DatasetSize, OUT_DIR, sizeLabel } from "./dataset.ts";
import type { ImportFigures } from "./importBench.ts";
import type { QueryFigures } from "./queryBench.ts";
import { STORE_NAMES } from "./targets.ts";

export interface BenchResults {
  startedAt: string;
  machine: Record<string, string | number>;
  benchmark: string;
  size: DatasetSize;
  imports: ImportFigures[];
  queries: QueryFigures[];
}

/** Aims the figures are held against (bench/README.md). */
const AIM_IMPORT_ROWS_PER_SECOND = 20_000;
const AIM_CREATOR_P95_MS = 100;
/** Memory counts as flat in file size when twice the rows take at most this much more peak RSS. */
const AIM_FLAT_MEMORY_RATIO = 1.2;

/** A line on stderr about what the run is doing; the figures go to stdout. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

const MEBIBYTE = 1024 * 1024;
const whole = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => value.toFixed(1);
const mib = (bytes: number) => whole(bytes / MEBIBYTE);
const times = (ratio: number) => `${ratio.toFixed(2)}×`;

/** A plain table: the first column left-aligned, the others right-aligned. */
function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((name, column) =>
    Math.max(name.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join("  ");
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
}

function printImports(imports: ImportFigures[]): void {
  printTable(
    "Import (importFile of the generated CSV, each in its own process)",
    ["store", "data", "file MiB", "rows", "seconds", "rows/s", "RSS before MiB", "peak RSS MiB"],
    imports.map((figures) => [
      STORE_NAMES[figures.store],
      sizeLabel(figures.size),
      mib(figures.fileBytes),
      whole(figures.rows),
      figures.seconds.toFixed(1),
      whole(figures.rowsPerSecond),
      mib(figures.baselineRssBytes),
      mib(figures.peakRssBytes),
    ]),
  );
  printTable(
    "Memory against file size (peak RSS of the full file / of the half file)",
    ["store", "rows half → full", "peak RSS half MiB", "peak RSS full MiB", "rows ratio", "peak RSS ratio"],
    memoryComparisons(imports).map(({ store, half, full }) => [
      STORE_NAMES[store],
      `${whole(half.rows)} → ${whole(full.rows)}`,
      mib(half.peakRssBytes),
      mib(full.peakRssBytes),
      times(full.rows / half.rows),
      times(full.peakRssBytes / half.peakRssBytes),
    ]),
  );
}

/** Per store, the smaller and the larger import. */
function memoryComparisons(imports: ImportFigures[]) {
  const stores = [...new Set(imports.map((figures) => figures.store))];
  return stores.flatMap((store) => {
    const [half, full] = imports.filter((figures) => figures.store === store).sort((a, b) => a.rows - b.rows);
    return half && full ? [{ store, half, full }] : [];
  });
}

function printQueries(queries: QueryFigures[]): void {
  printTable(
    "Query latency, ms (insight = the project's use-case; hand-written = one SQL statement, window functions)",
    ["store", "query", "variant", "samples", "mean", "p50", "p95", "p99", "max"],
    queries.flatMap((figures) =>
      (["insight", "handWritten"] as const).map((variant) => {
        const timing = figures[variant];
        return [
          STORE_NAMES[figures.store],
          figures.query,
          variant === "insight" ? "insight" : "hand-written",
          String(timing.samples),
          ms(timing.meanMs),
          ms(timing.p50Ms),
          ms(timing.p95Ms),
          ms(timing.p99Ms),
          ms(timing.maxMs),
        ];
      }),
    ),
  );
  console.log(
    "creatorProfile: as served, its tier medians from the hourly cache (the first call per tier and hour pays the cold cost).\n" +
      "creatorProfile, cold: each call asked at a later hour than the anchor, so it recomputes its tier's medians (same numbers).",
  );
  printTable(
    "Insight against hand-written SQL (ratio > 1: the insight is slower)",
    ["store", "query", "p50 ratio", "p95 ratio", "numbers"],
    queries.map((figures) => [
      STORE_NAMES[figures.store],
      figures.query,
      times(figures.p50Ratio),
      times(figures.p95Ratio),
      figures.differences.length === 0
        ? `agrees (${figures.checkedOn})`
        : `${figures.differences.length} differences`,
    ]),
  );
  for (const figures of queries.filter((candidate) => candidate.differences.length > 0)) {
    console.log(`\n${STORE_NAMES[figures.store]} ${figures.query} on ${figures.checkedOn} differs:`);
    for (const difference of figures.differences) console.log(`  ${difference}`);
  }
  printTable(
    "creatorProfile, cold: p50 by the sampled creator's tier, ms (the tier medians read every post of the tier)",
    ["store", "tier", "samples", "insight p50", "hand-written p50", "ratio"],
    queries.flatMap((figures) =>
      (figures.byTier ?? []).map((tier) => [
        STORE_NAMES[figures.store],
        tier.tier,
        String(tier.samples),
        ms(tier.insightP50Ms),
        ms(tier.handWrittenP50Ms),
        times(tier.insightP50Ms / tier.handWrittenP50Ms),
      ]),
    ),
  );
}

function verdict(met: boolean, shortBy: string): string {
  return met ? "met" : `MISSED (${shortBy})`;
}

function printAims(results: BenchResults): void {
  const lines: string[] = [];
  for (const figures of results.imports.filter((candidate) => candidate.rows === maxRows(results.imports))) {
    const rate = figures.rowsPerSecond;
    lines.push(
      `import ${STORE_NAMES[figures.store]}: ${whole(rate)} rows/s, aim ≥ ${whole(AIM_IMPORT_ROWS_PER_SECOND)}: ` +
        verdict(
          rate >= AIM_IMPORT_ROWS_PER_SECOND,
          `${whole(AIM_IMPORT_ROWS_PER_SECOND - rate)} rows/s short`,
        ),
    );
  }
  for (const { store, half, full } of memoryComparisons(results.imports)) {
    const ratio = full.peakRssBytes / half.peakRssBytes;
    lines.push(
      `memory ${STORE_NAMES[store]}: peak RSS ×${ratio.toFixed(2)} for ×${(full.rows / half.rows).toFixed(2)} rows, ` +
        `aim ≤ ×${AIM_FLAT_MEMORY_RATIO}: ${verdict(ratio <= AIM_FLAT_MEMORY_RATIO, "grows with the file")}`,
    );
  }
  for (const figures of results.queries.filter((candidate) => candidate.query.startsWith("creatorProfile"))) {
    const p95 = figures.insight.p95Ms;
    lines.push(
      `${figures.query} p95 ${STORE_NAMES[figures.store]}: ${ms(p95)} ms, aim < ${AIM_CREATOR_P95_MS} ms` +
        (figures.store === "postgres"
          ? `: ${verdict(p95 < AIM_CREATOR_P95_MS, `${ms(p95 - AIM_CREATOR_P95_MS)} ms over, ${times(p95 / AIM_CREATOR_P95_MS)} the aim`)}`
          : " (set for PostgreSQL; for reference)"),
    );
  }
  if (lines.length > 0)
    printTable(
      "Aims",
      ["aim"],
      lines.map((line) => [line]),
    );
}

function maxRows(imports: ImportFigures[]): number {
  return Math.max(...imports.map((figures) => figures.rows));
}

export function printReport(results: BenchResults): void {
  console.log(
    `\nLongtail benchmarks, ${results.startedAt}: ${sizeLabel(results.size)} ` +
      `(${results.size.creators} creators, ${results.size.posts} posts, ${results.size.days} days), ` +
      `${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}, src ${results.machine.srcDigest}, ` +
      `load average ${results.machine.loadAverageAtStart} at the start, ${results.machine.loadAverageAtEnd} at the end`,
  );
  if (results.imports.length > 0) printImports(results.imports);
  if (results.queries.length > 0) printQueries(results.queries);
  printAims(results);
}

/** bench/out/results-<date and time the run started>.json: every run keeps its own. */
export function writeResults(results: BenchResults): string {
  const path = `${OUT_DIR}results-${results.startedAt.slice(0, 19).replaceAll(":", "-")}.json`;
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}
