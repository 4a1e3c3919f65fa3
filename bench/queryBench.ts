import { type DemoCreator, demoCreators } from "../src/ingest/demo.ts";
import { randomFrom, seedOf } from "../src/ingest/random.ts";
import type { InsightContext } from "../src/insights/context.ts";
import { creatorProfile } from "../src/insights/creatorProfile.ts";
import type { CreatorProfileView } from "../src/insights/viewModels.ts";
import { weeklyDigest } from "../src/insights/weeklyDigest.ts";
import { openStore, type Store, type StoreKind, type StoreLocation } from "../src/store/database.ts";
import { findWorkspace } from "../src/store/workspaces.ts";
import { differences } from "./agreement.ts";
import { ANCHOR, type DatasetSize, demoOptions, WORKSPACE } from "./dataset.ts";
import { handWrittenCreator } from "./handWrittenCreator.ts";
import { handWrittenDigest } from "./handWrittenDigest.ts";
import type { BenchOptions } from "./options.ts";
import { progress } from "./report.ts";
import { summarize, type Timing } from "./stats.ts";
import { type BenchTarget, STORE_NAMES } from "./targets.ts";

export type QueryName = "creatorProfile" | "weeklyDigest";
export type ReadsFrom = "primary" | "replica";

export interface QueryFigures {
  store: StoreKind;
  /** Where the insight and the hand-written query read: the primary, or its streaming replica. */
  reads: ReadsFrom;
  /** The multiple of the 1× data this ran on. */
  scale: number;
  query: QueryName;
  insight: Timing;
  handWritten: Timing;
  /** Insight p50 / hand-written p50, and the same for p95. */
  p50Ratio: number;
  p95Ratio: number;
  /** What the agreement check ran on, and where the two disagreed (empty: they agree). */
  checkedOn: string;
  differences: string[];
}

const CREATOR_WARM_UPS = 10;
const DIGEST_WARM_UPS = 2;
const SAMPLE_SEED = 20_260_302;
/** Creators drawn at random (with replacement) from the generated cast: the same draw every run. */
function sampledCreators(size: DatasetSize, count: number): DemoCreator[] {
  const cast = demoCreators(demoOptions(size));
  const random = randomFrom(seedOf(SAMPLE_SEED));
  return Array.from({ length: count }, () => random.pick(cast));
}

/** Runs the warm-ups untimed, then times one run per remaining input until the inputs or the time run out. */
async function durationsOf<T>(
  inputs: readonly T[],
  warmUps: number,
  maxSeconds: number,
  run: (input: T) => Promise<unknown>,
): Promise<number[]> {
  for (const input of inputs.slice(0, warmUps)) await run(input);
  const deadline = performance.now() + maxSeconds * 1000;
  const durations: number[] = [];
  for (const input of inputs.slice(warmUps)) {
    const started = performance.now();
    await run(input);
    durations.push(performance.now() - started);
    if (performance.now() > deadline) break;
  }
  return durations;
}

async function profileOf(
  ctx: InsightContext,
  creator: DemoCreator,
  now = ANCHOR,
): Promise<CreatorProfileView> {
  const view = await creatorProfile(ctx, { handle: creator.handle, platform: creator.platform }, now);
  if (view.kind !== "creatorProfile") throw new Error(`creatorProfile did not find @${creator.handle}`);
  return view;
}

function comparedTimings(insightMs: number[], handWrittenMs: number[]) {
  const insight = summarize(insightMs);
  const handWritten = summarize(handWrittenMs);
  return {
    insight,
    handWritten,
    p50Ratio: insight.p50Ms / handWritten.p50Ms,
    p95Ratio: insight.p95Ms / handWritten.p95Ms,
  };
}

async function benchmarkCreatorProfile(
  ctx: InsightContext,
  run: QueryRun,
  options: BenchOptions,
): Promise<QueryFigures> {
  const creators = sampledCreators(run.size, CREATOR_WARM_UPS + options.samples);
  const checked = creators[CREATOR_WARM_UPS] as DemoCreator;
  const agreement = {
    checkedOn: `@${checked.handle} (${checked.platform}, ${checked.tier})`,
    differences: differences(await profileOf(ctx, checked), await handWrittenCreator(ctx, checked, ANCHOR)),
  };
  const series = (label: string, measure: (creator: DemoCreator) => Promise<unknown>) => {
    progress(`queries: ${readsLabel(run)} ${run.scale}× ${label}, ${options.samples} samples …`);
    return durationsOf(creators, CREATOR_WARM_UPS, options.maxSeconds, measure);
  };
  const insightMs = await series("creatorProfile", (creator) => profileOf(ctx, creator));
  const handWrittenMs = await series("hand-written creator query", (creator) =>
    handWrittenCreator(ctx, creator, ANCHOR),
  );
  return {
    store: run.store,
    reads: run.reads,
    scale: run.scale,
    query: "creatorProfile",
    ...comparedTimings(insightMs, handWrittenMs),
    ...agreement,
  };
}

async function benchmarkWeeklyDigest(
  ctx: InsightContext,
  run: QueryRun,
  options: BenchOptions,
): Promise<QueryFigures> {
  const found = differences(await weeklyDigest(ctx, {}, ANCHOR), await handWrittenDigest(ctx, ANCHOR));
  const runs = Array.from({ length: DIGEST_WARM_UPS + options.digestSamples }, (_, index) => index);
  const label = `${readsLabel(run)} ${run.scale}×`;
  progress(`queries: ${label} weeklyDigest, ${options.digestSamples} samples …`);
  const insightMs = await durationsOf(runs, DIGEST_WARM_UPS, options.maxSeconds, () =>
    weeklyDigest(ctx, {}, ANCHOR),
  );
  progress(`queries: ${label} hand-written digest query, ${options.digestSamples} samples …`);
  const handWrittenMs = await durationsOf(runs, DIGEST_WARM_UPS, options.maxSeconds, () =>
    handWrittenDigest(ctx, ANCHOR),
  );
  return {
    store: run.store,
    reads: run.reads,
    scale: run.scale,
    query: "weeklyDigest",
    ...comparedTimings(insightMs, handWrittenMs),
    checkedOn: `the ${WORKSPACE} workspace`,
    differences: found,
  };
}

/** Which data a query series runs on, read where. */
interface QueryRun {
  store: StoreKind;
  reads: ReadsFrom;
  scale: number;
  size: DatasetSize;
}

/** "PostgreSQL", or "PostgreSQL via replica" for reads on the streaming replica. */
export function readsLabel(figures: { store: StoreKind; reads: ReadsFrom }): string {
  return `${STORE_NAMES[figures.store]}${figures.reads === "replica" ? " via replica" : ""}`;
}

/** How long the replica may take to replay the import (and ANALYZE) before its queries are timed. */
const REPLICA_CATCH_UP_MS = 15 * 60_000;

/**
 * Times both insights against their hand-written queries on a store holding the data of this
 * scale, after ANALYZE (what autovacuum would have done on a server by then; PGlite has none).
 * With `--replica`, a PostgreSQL store is timed a second time with both reading through the
 * streaming replica, once it has replayed everything. There is no cache in the insights: every
 * answer, the first after an import too, reads the stored per-post facts.
 */
export async function runQueryBenchmark(
  target: BenchTarget,
  scale: number,
  size: DatasetSize,
  options: BenchOptions,
): Promise<QueryFigures[]> {
  const figures = await queriesOn(
    target.location,
    { store: target.kind, reads: "primary", scale, size },
    options,
  );
  if (target.kind !== "postgres" || !options.replica || !("databaseUrl" in target.location)) return figures;
  const replicaUrl = new URL(options.replica);
  replicaUrl.pathname = new URL(target.location.databaseUrl).pathname;
  const location = {
    databaseUrl: target.location.databaseUrl,
    // The data does not change while it is timed: a generous bound keeps the reads on the replica
    // even while another run's import makes it lag (with the app's 30 s, they would fall back).
    replica: { url: replicaUrl.toString(), maxLagSeconds: 3_600, checkIntervalMs: 1_000 },
  };
  const onReplica = await queriesOn(location, { store: target.kind, reads: "replica", scale, size }, options);
  return [...figures, ...onReplica];
}

async function queriesOn(
  location: StoreLocation,
  run: QueryRun,
  options: BenchOptions,
): Promise<QueryFigures[]> {
  const store = await openStore(location);
  try {
    if (run.reads === "primary") await store.prisma.$executeRaw`ANALYZE`;
    const reads = run.reads === "replica" ? await caughtUpReplica(store) : store.prisma;
    const workspace = await findWorkspace(reads, WORKSPACE);
    if (!workspace) throw new Error(`${run.store} has no workspace "${WORKSPACE}"`);
    const ctx: InsightContext = { prisma: reads, workspace };
    return [await benchmarkCreatorProfile(ctx, run, options), await benchmarkWeeklyDigest(ctx, run, options)];
  } finally {
    await store.close();
  }
}

/** The store's read client once it reads from a replica that has replayed everything; throws after REPLICA_CATCH_UP_MS. */
async function caughtUpReplica(store: Store): Promise<Store["prisma"]> {
  const deadline = Date.now() + REPLICA_CATCH_UP_MS;
  progress("queries: waiting for the replica to replay the import …");
  while (store.reads && store.replica && Date.now() < deadline) {
    await store.replica.check();
    const [row] = await store.reads.$queryRaw<{ standby: boolean }[]>`SELECT pg_is_in_recovery() AS standby`;
    if (row?.standby && store.replica.worstLagSeconds() < 1) return store.reads;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  throw new Error("the replica did not catch up with the primary: see scripts/replica-setup.sh");
}
