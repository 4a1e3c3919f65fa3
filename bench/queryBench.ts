import { type DemoCreator, demoCreators } from "../src/ingest/demo.ts";
import { randomFrom, seedOf } from "../src/ingest/random.ts";
import type { InsightContext } from "../src/insights/context.ts";
import { creatorProfile } from "../src/insights/creatorProfile.ts";
import type { CreatorProfileView } from "../src/insights/viewModels.ts";
import { weeklyDigest } from "../src/insights/weeklyDigest.ts";
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

export type QueryName = "creatorProfile" | "weeklyDigest";

export interface QueryFigures {
  store: StoreKind;
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
    progress(`queries: ${STORE_NAMES[run.store]} ${run.scale}× ${label}, ${options.samples} samples …`);
    return durationsOf(creators, CREATOR_WARM_UPS, options.maxSeconds, measure);
  };
  const insightMs = await series("creatorProfile", (creator) => profileOf(ctx, creator));
  const handWrittenMs = await series("hand-written creator query", (creator) =>
    handWrittenCreator(ctx, creator, ANCHOR),
  );
  return {
    store: run.store,
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
  const label = `${STORE_NAMES[run.store]} ${run.scale}×`;
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
    scale: run.scale,
    query: "weeklyDigest",
    ...comparedTimings(insightMs, handWrittenMs),
    checkedOn: `the ${WORKSPACE} workspace`,
    differences: found,
  };
}

/** Which data a query series runs on. */
interface QueryRun {
  store: StoreKind;
  scale: number;
  size: DatasetSize;
}

/**
 * Times both insights against their hand-written queries on a store holding the data of this
 * scale, after ANALYZE (what autovacuum would have done on a server by then; PGlite has none).
 * There is no cache in the insights: every answer, the first after an import too, reads the
 * stored per-post facts.
 */
export async function runQueryBenchmark(
  target: BenchTarget,
  scale: number,
  size: DatasetSize,
  options: BenchOptions,
): Promise<QueryFigures[]> {
  const store = await openStore(target.location);
  try {
    await store.prisma.$executeRawUnsafe("ANALYZE");
    const workspace = await findWorkspace(store.prisma, WORKSPACE);
    if (!workspace) throw new Error(`${target.name} has no workspace "${WORKSPACE}"`);
    const ctx: InsightContext = { prisma: store.prisma, workspace };
    const run: QueryRun = { store: target.kind, scale, size };
    return [await benchmarkCreatorProfile(ctx, run, options), await benchmarkWeeklyDigest(ctx, run, options)];
  } finally {
    await store.close();
  }
}
