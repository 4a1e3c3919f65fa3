import { parseArgs } from "node:util";
import type { StoreKind } from "../src/store/database.ts";
import type { DatasetSize } from "./dataset.ts";

export type Benchmark = "import" | "queries" | "all";

export interface BenchOptions {
  benchmark: Benchmark;
  /** The 1× data; every scale multiplies its creators and posts. */
  size: DatasetSize;
  /** Multiples of `size` to run at, smallest first (default 1 and 4). */
  scales: number[];
  stores: StoreKind[];
  /** creatorProfile samples (after its warm-ups). */
  samples: number;
  /** weeklyDigest samples (after its warm-ups). */
  digestSamples: number;
  /** A series stops sampling early when it has run this long. */
  maxSeconds: number;
  /** The PostgreSQL server the scratch databases are created on (its `postgres` database). */
  server: string;
  /** A streaming replica of `server`: the PostgreSQL queries run again with reads on it. */
  replica: string | undefined;
}

export const USAGE = `npm run bench -- [import|queries|all] [options]

  import    import the generated CSV at each scale into fresh stores: rows/s beside PostgreSQL's
            COPY + set-based normalise of the same file, peak RSS
  queries   creatorProfile and weeklyDigest against hand-written SQL at each scale: p50/p95/p99, growth
  all       both (the default)

  --creators N        creators in the generated data (default 2000)
  --posts N           posts in all (default 20000)
  --days N            days of publishing before the anchor (default 61: ~600,000 snapshots)
  --scales LIST       multiples of that data to run at, e.g. 1,4 (default) or 1,4,16 by hand
  --store KIND        pglite | postgres | both (default both)
  --samples N         creatorProfile samples, after 10 warm-ups (default 200)
  --digest-samples N  weeklyDigest samples, after 2 warm-ups (default 20)
  --max-seconds N     stop a timed series early after N seconds (default 120)
  --server URL        PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/postgres)
  --replica URL       a streaming replica of that server (scripts/replica-setup.sh makes one on
                      postgresql://postgres@127.0.0.1:5433/postgres): the PostgreSQL queries run a
                      second time with the insights reading through the replica`;

const BENCHMARKS: readonly Benchmark[] = ["import", "queries", "all"];
const STORE_CHOICES: Record<string, StoreKind[]> = {
  pglite: ["pglite"],
  postgres: ["postgres"],
  both: ["pglite", "postgres"],
};

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a whole number ≥ 1, not "${text}"`);
  return value;
}

/** The options of `npm run bench -- …`; throws an Error naming what is wrong. */
export function readOptions(args: string[]): BenchOptions | "help" {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      creators: { type: "string", default: "2000" },
      posts: { type: "string", default: "20000" },
      days: { type: "string", default: "61" },
      scales: { type: "string", default: "1,4" },
      store: { type: "string", default: "both" },
      samples: { type: "string", default: "200" },
      "digest-samples": { type: "string", default: "20" },
      "max-seconds": { type: "string", default: "120" },
      server: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/postgres" },
      replica: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return "help";
  const benchmark = (positionals[0] ?? "all") as Benchmark;
  if (!BENCHMARKS.includes(benchmark) || positionals.length > 1) {
    throw new Error(`Unknown benchmark "${positionals.join(" ")}": expected import, queries or all`);
  }
  const stores = STORE_CHOICES[values.store];
  if (stores === undefined)
    throw new Error(`--store must be pglite, postgres or both, not "${values.store}"`);
  return {
    benchmark,
    size: {
      creators: positiveInteger("creators", values.creators),
      posts: positiveInteger("posts", values.posts),
      days: positiveInteger("days", values.days),
    },
    scales: values.scales
      .split(",")
      .map((scale) => positiveInteger("scales", scale.trim()))
      .sort((a, b) => a - b),
    stores,
    samples: positiveInteger("samples", values.samples),
    digestSamples: positiveInteger("digest-samples", values["digest-samples"]),
    maxSeconds: positiveInteger("max-seconds", values["max-seconds"]),
    server: values.server,
    replica: values.replica,
  };
}
