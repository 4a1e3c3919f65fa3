import { type DemoCreator, demoCreators } from "../src/ingest/demo.ts";
import { randomFrom, seedOf } from "../src/ingest/random.ts";
import type { InsightContext } from "../src/insights/context.ts";
import { creatorProfile } from "../src/insights/creatorProfile.ts";
import type { CreatorProfileView } from "../src/insights/viewModels.ts";
import { weeklyDigest } from "../src/insights/weeklyDigest.ts";
import type { Tier } from "../src/metrics/types.ts";
import { openStore, type StoreKind } from "../src/store/database.ts";
import { findWorkspace } from "../src/store/workspaces.ts";
import { differences } from "./agreement.ts";
import { ANCHOR, type DatasetSize, demoOptions, WORKSPACE } from "./dataset.ts";
import { handWrittenCreator } from "./handWrittenCreator.ts";
import { handWrittenDigest } from "./handWrittenDigest.ts";
import type { BenchOptions } from "./options.ts";
import { progress } from "./report.ts";
import { summarize, type Timing } from "./stats.ts";
import { type BenchTarget, STORE_NAMES } from "./targets.ts";

/** creatorProfile as served (its tier medians from the hourly cache) and with every call missing that cache. */
export type QueryName = "creatorProfile" | "creatorProfile, cold" | "weeklyDigest";

export interface QueryFigures {
  store: StoreKind;
  query: QueryName;
  insight: Timing;
  handWritten: Timing;
  /** Insight p50 / hand-written p50, and the same for p95. */
  p50Ratio: number;
  p95Ratio: number;
  /** What the agreement check ran on, and where the two disagreed (empty: they agree). */
  checkedOn: string;
  differences: string[];
  /** Cold creatorProfile: p50 of both per tier of the sampled creator (the tier medians read the whole tier). */
  byTier?: TierTiming[];
}

export interface TierTiming {
  tier: Tier;
  samples: number;
  insightP50Ms: number;
  handWrittenP50Ms: number;
}

const CREATOR_WARM_UPS = 10;
const DIGEST_WARM_UPS = 2;
const SAMPLE_SEED = 20_260_302;
const HOUR_MS = 3_600_000;

/**
 * A later hour than the anchor for each sample: creatorProfile keeps a tier's medians for the hour
 * of `now`, so every call misses that cache. No snapshot is later than the anchor, so every number
 * stays the same.
 */
function coldMoment(sample: number): Date {
  return new Date(ANCHOR.getTime() + (sample + 1) * HOUR_MS);
}

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

function timingsByTier(creators: readonly DemoCreator[], insightMs: number[], handWrittenMs: number[]) {
  const tiers = [...new Set(creators.map((creator) => creator.tier))];
  return tiers.map((tier): TierTiming => {
    const of = (durations: number[]) => durations.filter((_, index) => creators[index]?.tier === tier);
    const insight = of(insightMs);
    return {
      tier,
      samples: insight.length,
      insightP50Ms: summarize(insight).p50Ms,
      handWrittenP50Ms: summarize(of(handWrittenMs)).p50Ms,
    };
  });
}

async function benchmarkCreatorProfile(
  ctx: InsightContext,
  store: StoreKind,
  options: BenchOptions,
): Promise<QueryFigures[]> {
  const creators = sampledCreators(options.size, CREATOR_WARM_UPS + options.samples);
  const measured = creators.slice(CREATOR_WARM_UPS);
  const checked = measured[0] as DemoCreator;
  const agreement = {
    checkedOn: `@${checked.handle} (${checked.platform}, ${checked.tier})`,
    differences: differences(await profileOf(ctx, checked), await handWrittenCreator(ctx, checked, ANCHOR)),
  };
  const series = (label: string, run: (creator: DemoCreator, index: number) => Promise<unknown>) => {
    progress(`queries: ${STORE_NAMES[store]} ${label}, ${options.samples} samples …`);
    const indexed = creators.map((creator, index) => ({ creator, index }));
    return durationsOf(indexed, CREATOR_WARM_UPS, options.maxSeconds, ({ creator, index }) =>
      run(creator, index),
    );
  };
  const coldMs = await series("creatorProfile, every call missing the tier-median cache", (creator, index) =>
    profileOf(ctx, creator, coldMoment(index)),
  );
  const servedMs = await series("creatorProfile", (creator) => profileOf(ctx, creator));
  const handWrittenMs = await series("hand-written creator query", (creator) =>
    handWrittenCreator(ctx, creator, ANCHOR),
  );
  return [
    { store, query: "creatorProfile", ...comparedTimings(servedMs, handWrittenMs), ...agreement },
    {
      store,
      query: "creatorProfile, cold",
      ...comparedTimings(coldMs, handWrittenMs),
      ...agreement,
      byTier: timingsByTier(measured, coldMs, handWrittenMs),
    },
  ];
}

async function benchmarkWeeklyDigest(
  ctx: InsightContext,
  store: StoreKind,
  options: BenchOptions,
): Promise<QueryFigures> {
  const found = differences(await weeklyDigest(ctx, {}, ANCHOR), await handWrittenDigest(ctx, ANCHOR));
  const runs = Array.from({ length: DIGEST_WARM_UPS + options.digestSamples }, (_, index) => index);
  progress(`queries: ${STORE_NAMES[store]} weeklyDigest, ${options.digestSamples} samples …`);
  const insightMs = await durationsOf(runs, DIGEST_WARM_UPS, options.maxSeconds, () =>
    weeklyDigest(ctx, {}, ANCHOR),
  );
  progress(`queries: ${STORE_NAMES[store]} hand-written digest query, ${options.digestSamples} samples …`);
  const handWrittenMs = await durationsOf(runs, DIGEST_WARM_UPS, options.maxSeconds, () =>
    handWrittenDigest(ctx, ANCHOR),
  );
  return {
    store,
    query: "weeklyDigest",
    ...comparedTimings(insightMs, handWrittenMs),
    checkedOn: `the ${WORKSPACE} workspace`,
    differences: found,
  };
}

/**
 * Times both insights against their hand-written queries on a store holding the full data, after
 * ANALYZE (what autovacuum would have done on a server by then; PGlite has no autovacuum).
 */
export async function runQueryBenchmark(target: BenchTarget, options: BenchOptions): Promise<QueryFigures[]> {
  const store = await openStore(target.location);
  try {
    await store.prisma.$executeRawUnsafe("ANALYZE");
    const workspace = await findWorkspace(store.prisma, WORKSPACE);
    if (!workspace) throw new Error(`${target.name} has no workspace "${WORKSPACE}"`);
    const ctx: InsightContext = { prisma: store.prisma, workspace };
    return [
      ...(await benchmarkCreatorProfile(ctx, target.kind, options)),
      await benchmarkWeeklyDigest(ctx, target.kind, options),
    ];
  } finally {
    await store.close();
  }
}
