/**
 * Longtail's benchmarks: `npm run bench -- [import|queries|all] [options]` (bench/README.md).
 * Data comes from the project's deterministic demo generator, written once to bench/out/*.csv.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import type { StoreKind } from "../src/store/database.ts";
import { type DatasetSize, scaledBy } from "./dataset.ts";
import { importedTarget, measureImportFloor, runImportBenchmark } from "./importBench.ts";
import { type BenchOptions, readOptions, USAGE } from "./options.ts";
import { runQueryBenchmark } from "./queryBench.ts";
import { type BenchResults, printReport, progress, writeResults } from "./report.ts";
import { type BenchTarget, ScratchDatabases, serverVersion } from "./targets.ts";

const GIBIBYTE = 1024 ** 3;

/** A digest of src/**: which code the figures belong to (src/ changes between commits). */
function sourceDigest(): string {
  const src = new URL("../src/", import.meta.url);
  const hash = createHash("sha256");
  const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((path) =>
    path.endsWith(".ts"),
  );
  for (const path of files.sort()) hash.update(path).update(readFileSync(new URL(path, src)));
  return hash.digest("hex").slice(0, 12);
}

/** Other work on the machine shows in the figures: the results say how busy it was. */
function oneMinuteLoad(): number {
  return Number((loadavg()[0] ?? 0).toFixed(2));
}

async function machineInfo(options: BenchOptions): Promise<BenchResults["machine"]> {
  const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / GIBIBYTE),
    node: process.versions.node,
    pglite: packageJson.dependencies["@electric-sql/pglite"],
    postgres: options.stores.includes("postgres") ? await serverVersion(options.server) : "not run",
    srcDigest: sourceDigest(),
    loadAverageAtStart: oneMinuteLoad(),
  };
}

/** The benchmarks asked for, on one kind of store at one scale; a scratch database is dropped when done. */
async function benchmarkStore(
  kind: StoreKind,
  scale: number,
  size: DatasetSize,
  floorSeconds: number | undefined,
  options: BenchOptions,
  databases: ScratchDatabases,
  results: BenchResults,
): Promise<void> {
  let target: BenchTarget | undefined;
  if (floorSeconds !== undefined) {
    const imported = await runImportBenchmark(kind, scale, size, floorSeconds, databases);
    results.imports.push(imported.figures);
    target = imported.target;
  }
  if (options.benchmark !== "import") {
    target ??= await importedTarget(kind, size, databases);
    results.queries.push(...(await runQueryBenchmark(target, scale, size, options)));
  }
  if (target?.kind === "postgres") await databases.drop(target);
}

/** Every scale in turn, each store in turn: the store's import floor for the file first. */
async function benchmarkScales(options: BenchOptions, databases: ScratchDatabases, results: BenchResults) {
  for (const scale of options.scales) {
    const size = scaledBy(options.size, scale);
    for (const kind of options.stores) {
      const floorSeconds =
        options.benchmark === "queries" ? undefined : await measureImportFloor(kind, size, databases);
      await benchmarkStore(kind, scale, size, floorSeconds, options, databases, results);
    }
  }
}

/** The options, or the problem and the usage on stderr and exit code 2. */
function optionsOrExit(): BenchOptions | "help" {
  try {
    return readOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const options = optionsOrExit();
  if (options === "help") {
    console.log(USAGE);
    return;
  }
  const databases = new ScratchDatabases(options.server);
  process.once("SIGINT", () => {
    progress("interrupted: dropping the scratch databases");
    void databases.dropAll().finally(() => process.exit(130));
  });
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    machine: await machineInfo(options),
    benchmark: options.benchmark,
    size: options.size,
    scales: options.scales,
    imports: [],
    queries: [],
  };
  try {
    await benchmarkScales(options, databases, results);
  } finally {
    await databases.dropAll();
  }
  results.machine.loadAverageAtEnd = oneMinuteLoad();
  printReport(results);
  console.log(`\nresults: ${writeResults(results)}`);
}

await main();
