import { writeFileSync } from "node:fs";
import type { StoreKind } from "../src/store/database.ts";
import { type DatasetSize, OUT_DIR, sizeLabel } from "./dataset.ts";
import type { ImportFigures } from "./importBench.ts";
import { type QueryFigures, readsLabel } from "./queryBench.ts";
import { STORE_NAMES } from "./targets.ts";

export interface BenchResults {
  startedAt: string;
  machine: Record<string, string | number>;
  benchmark: string;
  size: DatasetSize;
  scales: number[];
  imports: ImportFigures[];
  queries: QueryFigures[];
}

/** Aims the figures are held against (issue 9, bench/README.md). */
const AIM_IMPORT_FLOOR_RATIO = 0.6;
const AIM_PGLITE_IMPORT_ROWS_PER_SECOND = 20_000;
const AIM_CREATOR_P95_MS = 50;
const AIM_CREATOR_FLOOR_RATIO = 3;
const AIM_DIGEST_P95_MS: Record<StoreKind, number> = { postgres: 200, pglite: 1000 };
const AIM_GROWTH = 2;
/** Memory counts as flat in file size when the largest file takes at most this much more peak RSS. */
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
    "Import (importFile of the generated CSV, each in its own process), beside the same store's floor (COPY + set-based normalise of the same file, same run)",
    [
      "store",
      "scale",
      "file MiB",
      "rows",
      "seconds",
      "rows/s",
      "floor rows/s",
      "of floor",
      "RSS before MiB",
      "peak RSS MiB",
    ],
    imports.map((figures) => [
      STORE_NAMES[figures.store],
      `${figures.scale}×`,
      mib(figures.fileBytes),
      whole(figures.rows),
      figures.seconds.toFixed(1),
      whole(figures.rowsPerSecond),
      whole(figures.floorRowsPerSecond),
      times(figures.rowsPerSecond / figures.floorRowsPerSecond),
      mib(figures.baselineRssBytes),
      mib(figures.peakRssBytes),
    ]),
  );
  printTable(
    "Memory against file size (peak RSS of the largest file / of the smallest)",
    [
      "store",
      "rows small → large",
      "peak RSS small MiB",
      "peak RSS large MiB",
      "rows ratio",
      "peak RSS ratio",
    ],
    memoryComparisons(imports).map(({ store, small, large }) => [
      STORE_NAMES[store],
      `${whole(small.rows)} → ${whole(large.rows)}`,
      mib(small.peakRssBytes),
      mib(large.peakRssBytes),
      times(large.rows / small.rows),
      times(large.peakRssBytes / small.peakRssBytes),
    ]),
  );
}

/** Per store, the smallest and the largest import. */
function memoryComparisons(imports: ImportFigures[]) {
  const stores = [...new Set(imports.map((figures) => figures.store))];
  return stores.flatMap((store) => {
    const sorted = imports.filter((figures) => figures.store === store).sort((a, b) => a.rows - b.rows);
    const [small, large] = [sorted[0], sorted.at(-1)];
    return small && large && small !== large ? [{ store, small, large }] : [];
  });
}

/** Per store (and where it read) and query, the smallest and the largest scale it ran at. */
function growths(queries: QueryFigures[]) {
  const keys = [...new Set(queries.map((figures) => `${readsLabel(figures)}\u0000${figures.query}`))];
  return keys.flatMap((key) => {
    const sorted = queries
      .filter((figures) => `${readsLabel(figures)}\u0000${figures.query}` === key)
      .sort((a, b) => a.scale - b.scale);
    const [small, large] = [sorted[0], sorted.at(-1)];
    return small && large && small !== large ? [{ small, large }] : [];
  });
}

function printQueries(queries: QueryFigures[]): void {
  printTable(
    "Query latency, ms (insight = the project's use-case; hand-written = one SQL statement, window functions)",
    ["store", "scale", "query", "variant", "samples", "mean", "p50", "p95", "p99", "max"],
    queries.flatMap((figures) =>
      (["insight", "handWritten"] as const).map((variant) => {
        const timing = figures[variant];
        return [
          readsLabel(figures),
          `${figures.scale}×`,
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
    "No cache: every creatorProfile reads its tier's medians from the stored facts, the first answer after an import too.",
  );
  printTable(
    "Insight against hand-written SQL (ratio > 1: the insight is slower)",
    ["store", "scale", "query", "p50 ratio", "p95 ratio", "numbers"],
    queries.map((figures) => [
      readsLabel(figures),
      `${figures.scale}×`,
      figures.query,
      times(figures.p50Ratio),
      times(figures.p95Ratio),
      figures.differences.length === 0
        ? `agrees (${figures.checkedOn})`
        : `${figures.differences.length} differences`,
    ]),
  );
  for (const figures of queries.filter((candidate) => candidate.differences.length > 0)) {
    console.log(`\n${readsLabel(figures)} ${figures.query} on ${figures.checkedOn} differs:`);
    for (const difference of figures.differences) console.log(`  ${difference}`);
  }
  printTable(
    "Growth with the data (p50 at the largest scale / at the smallest)",
    [
      "store",
      "query",
      "scales",
      "insight p50 ms",
      "insight growth",
      "hand-written p50 ms",
      "hand-written growth",
    ],
    growths(queries).map(({ small, large }) => [
      readsLabel(small),
      small.query,
      `${small.scale}× → ${large.scale}×`,
      `${ms(small.insight.p50Ms)} → ${ms(large.insight.p50Ms)}`,
      times(large.insight.p50Ms / small.insight.p50Ms),
      `${ms(small.handWritten.p50Ms)} → ${ms(large.handWritten.p50Ms)}`,
      times(large.handWritten.p50Ms / small.handWritten.p50Ms),
    ]),
  );
}

function verdict(met: boolean, shortBy: string): string {
  return met ? "met" : `MISSED (${shortBy})`;
}

function importAims(imports: ImportFigures[]): string[] {
  const lines = imports.map((figures) => {
    const ofFloor = figures.rowsPerSecond / figures.floorRowsPerSecond;
    const where = `import ${STORE_NAMES[figures.store]} ${figures.scale}×`;
    if (figures.store === "pglite") {
      const rate = figures.rowsPerSecond;
      return `${where}: ${whole(rate)} rows/s (${times(ofFloor)} of its floor), aim ≥ ${whole(AIM_PGLITE_IMPORT_ROWS_PER_SECOND)}: ${verdict(rate >= AIM_PGLITE_IMPORT_ROWS_PER_SECOND, `${whole(AIM_PGLITE_IMPORT_ROWS_PER_SECOND - rate)} rows/s short`)}`;
    }
    return `${where}: ${times(ofFloor)} of the floor, aim ≥ ${times(AIM_IMPORT_FLOOR_RATIO)}: ${verdict(ofFloor >= AIM_IMPORT_FLOOR_RATIO, "slower")}`;
  });
  for (const { store, small, large } of memoryComparisons(imports)) {
    const ratio = large.peakRssBytes / small.peakRssBytes;
    lines.push(
      `memory ${STORE_NAMES[store]}: peak RSS ×${ratio.toFixed(2)} for ×${(large.rows / small.rows).toFixed(2)} rows, ` +
        `aim ≤ ×${AIM_FLAT_MEMORY_RATIO}: ${verdict(ratio <= AIM_FLAT_MEMORY_RATIO, "grows with the file")}`,
    );
  }
  return lines;
}

function queryAims(queries: QueryFigures[]): string[] {
  const lines = queries.flatMap((figures) => {
    const where = `${figures.query} ${readsLabel(figures)} ${figures.scale}×`;
    const p95 = figures.insight.p95Ms;
    if (figures.query === "weeklyDigest") {
      const aim = AIM_DIGEST_P95_MS[figures.store];
      return [
        `${where}: p95 ${ms(p95)} ms, aim < ${aim} ms: ${verdict(p95 < aim, `${ms(p95 - aim)} ms over`)}`,
      ];
    }
    const ratio = `p95 ${times(figures.p95Ratio)} the hand-written query, aim ≤ ${times(AIM_CREATOR_FLOOR_RATIO)}: ${verdict(figures.p95Ratio <= AIM_CREATOR_FLOOR_RATIO, "slower")}`;
    return figures.store === "postgres"
      ? [
          `${where}: p95 ${ms(p95)} ms, aim < ${AIM_CREATOR_P95_MS} ms: ${verdict(p95 < AIM_CREATOR_P95_MS, `${ms(p95 - AIM_CREATOR_P95_MS)} ms over`)}`,
          `${where}: ${ratio}`,
        ]
      : [`${where}: p95 ${ms(p95)} ms (the aims are set for PostgreSQL)`];
  });
  for (const { small, large } of growths(queries)) {
    const growth = large.insight.p50Ms / small.insight.p50Ms;
    lines.push(
      `${small.query} ${readsLabel(small)} ${small.scale}× → ${large.scale}×: p50 grows ${times(growth)}, aim < ${times(AIM_GROWTH)}: ${verdict(growth < AIM_GROWTH, "grows too fast")}`,
    );
  }
  return lines;
}

function printAims(results: BenchResults): void {
  const lines = [...importAims(results.imports), ...queryAims(results.queries)];
  if (lines.length > 0)
    printTable(
      "Aims",
      ["aim"],
      lines.map((line) => [line]),
    );
}

export function printReport(results: BenchResults): void {
  console.log(
    `\nLongtail benchmarks, ${results.startedAt}: ${results.scales.map((scale) => `${scale}×`).join(", ")} ${sizeLabel(results.size)} ` +
      `(1× = ${results.size.creators} creators, ${results.size.posts} posts, ${results.size.days} days), ` +
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
