import { MS_PER_DAY } from "../metrics/curve.ts";
import { TIERS, type Tier } from "../metrics/types.ts";
import { observeImportRows } from "../ops/metrics.ts";
import type { Store } from "../store/database.ts";
import type { ImportSummary } from "./importFile.ts";
import { importRows } from "./importRows.ts";
import { type Random, randomFrom, seedOf } from "./random.ts";
import type { ImportRow } from "./row.ts";
import { writeRowsCsv } from "./writeCsv.ts";

/**
 * The demo tells the story of the article (shared/seed): macro and mega creators win the click
 * report and fade within a week; micro and nano creators earn fewer clicks but keep engaging for
 * weeks, and cost less per sustained engagement. Three weeks ago two big creators switched to
 * posts that burn out within days: the longevity-drop alert has something to say.
 */
export interface DemoOptions {
  /** The moment the demo ends: snapshots are taken daily up to it. */
  now: Date;
  creators?: number;
  /** Posts per creator; by default a cadence per tier (small creators post more often). */
  postsPerCreator?: number;
  /** Posts in all, spread evenly over the creators; wins over postsPerCreator. */
  posts?: number;
  /** Days of publishing before `now`. */
  days?: number;
  seed?: number;
}

export const DEMO_CAMPAIGNS = ["spring-launch", "summer-glow", "autumn-refresh"] as const;
export type DemoPlatform = "instagram" | "tiktok" | "youtube";

export interface DemoCreator {
  platform: DemoPlatform;
  handle: string;
  tier: Tier;
  followers: number;
  /** What one post costs this creator. */
  fee: number;
  posts: number;
  /** From three weeks before `now` on, this creator's posts burn out within days. */
  drivesLongevityDrop: boolean;
}

const MINUTE_MS = 60_000;
const DEFAULT_CREATORS = 40;
const DEFAULT_DAYS = 84;
const DEFAULT_SEED = 1;
/** Snapshots stop this many days after publishing, as a monitoring tool's would. */
const SNAPSHOT_DAYS = 60;
/** The current cohort of the longevity-drop alert: published in [now − 21 d, now − 14 d). */
const CURRENT_COHORT_START_DAYS = 21;
const CURRENT_COHORT_END_DAYS = 14;
const ORGANIC_POST_SHARE = 0.08;
const DROP_TIERS: readonly Tier[] = ["mega", "macro"];
/** A burnt-out post is a giveaway: a flood of engagement in its first days, then next to nothing. */
const BURNOUT_ENGAGEMENT_BOOST = 2.5;
const IMPRESSIONS_PER_REACH = 1.35;
const CONVERSIONS_PER_CLICK = 0.03;
/** Instagram counts views of reels only; on TikTok and YouTube every impression is a view, often repeated. */
const VIEWS_PER_REACH: Record<DemoPlatform, number> = { instagram: 0.6, tiktok: 1.6, youtube: 1.6 };
const EVERGREEN_SHARE = 0.12;

interface TierProfile {
  castShare: number;
  followers: readonly [number, number];
  /** Posts in 12 weeks, when no post count is given. */
  postsPer84Days: number;
  /** Engagements a post earns over its life, per follower. */
  engagementRate: number;
  /** Share of the engagement that comes in a burst in the first days; the rest builds for weeks. */
  burstShare: number;
  /** Time constant of the lasting part, in days. */
  lastingDays: number;
  /** Unique accounts reached per follower. */
  reachRate: number;
  clicksPerReach: number;
  redemptionsPerClick: number;
  feePerFollower: number;
  minimumFee: number;
  /** How engagement splits over likes, comments, shares and saves. */
  mix: readonly [number, number, number, number];
}

const SMALL_CREATOR_MIX = [0.74, 0.1, 0.07, 0.09] as const;
const TIER_PROFILES: Record<Tier, TierProfile> = {
  nano: {
    castShare: 0.15,
    followers: [300, 999],
    postsPer84Days: 6,
    engagementRate: 0.09,
    burstShare: 0.12,
    lastingDays: 14,
    reachRate: 0.45,
    clicksPerReach: 0.004,
    redemptionsPerClick: 0.06,
    feePerFollower: 0.08,
    minimumFee: 25,
    mix: SMALL_CREATOR_MIX,
  },
  micro: {
    castShare: 0.45,
    followers: [1_000, 50_000],
    postsPer84Days: 6,
    engagementRate: 0.055,
    burstShare: 0.18,
    lastingDays: 12,
    reachRate: 0.35,
    clicksPerReach: 0.006,
    redemptionsPerClick: 0.06,
    feePerFollower: 0.02,
    minimumFee: 60,
    mix: SMALL_CREATOR_MIX,
  },
  mid: {
    castShare: 0.2,
    followers: [50_001, 499_999],
    postsPer84Days: 4,
    engagementRate: 0.03,
    burstShare: 0.45,
    lastingDays: 9,
    reachRate: 0.25,
    clicksPerReach: 0.008,
    redemptionsPerClick: 0.08,
    feePerFollower: 0.015,
    minimumFee: 800,
    mix: [0.8, 0.08, 0.05, 0.07],
  },
  macro: {
    castShare: 0.125,
    followers: [500_000, 999_999],
    postsPer84Days: 3,
    engagementRate: 0.02,
    burstShare: 0.72,
    lastingDays: 7,
    reachRate: 0.2,
    clicksPerReach: 0.012,
    redemptionsPerClick: 0.12,
    feePerFollower: 0.012,
    minimumFee: 6_000,
    mix: [0.86, 0.06, 0.04, 0.04],
  },
  mega: {
    castShare: 0.075,
    followers: [1_000_000, 4_000_000],
    postsPer84Days: 3,
    engagementRate: 0.012,
    burstShare: 0.8,
    lastingDays: 6,
    reachRate: 0.15,
    clicksPerReach: 0.014,
    redemptionsPerClick: 0.12,
    feePerFollower: 0.01,
    minimumFee: 10_000,
    mix: [0.86, 0.06, 0.04, 0.04],
  },
};

// biome-ignore format: a table reads better than one name a line
const FIRST_NAMES = [
  "anna", "mila", "sem", "lotte", "noah", "emma", "daan", "julia", "lucas", "sophie",
  "finn", "tess", "levi", "zoe", "liam", "sara", "milan", "eva", "jesse", "nina",
  "thijs", "fleur", "bram", "isa", "ruben", "lisa", "max", "roos", "luuk", "yara",
  "niels", "femke", "tim", "anouk", "joris", "maud", "stijn", "iris", "koen", "elin",
] as const;
// biome-ignore format: a table reads better than one topic a line
const TOPICS = [
  "bakes", "runs", "travels", "glow", "eats", "style", "fit", "cooks", "reads", "plants",
  "makes", "lifts", "vlogs", "beauty", "home", "skin", "paints", "hikes", "rides", "games",
  "shoots", "grows", "brews", "dances", "sews", "lab", "daily", "kitchen", "outdoors", "studio",
] as const;
/** Coprime with the number of topics, so a name meets every topic before any repeats. */
const TOPIC_STRIDE = 7;

interface ResolvedDemoOptions {
  now: Date;
  creators: number;
  postsPerCreator: number | undefined;
  posts: number | undefined;
  days: number;
  seed: number;
}

function resolveOptions(options: DemoOptions): ResolvedDemoOptions {
  const resolved = {
    now: options.now,
    creators: options.creators ?? DEFAULT_CREATORS,
    postsPerCreator: options.postsPerCreator,
    posts: options.posts,
    days: options.days ?? DEFAULT_DAYS,
    seed: options.seed ?? DEFAULT_SEED,
  };
  for (const name of ["creators", "postsPerCreator", "posts", "days"] as const) {
    const value = resolved[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new RangeError(`Demo data: ${name} must be a whole number ≥ 1, got ${value}`);
    }
  }
  if (Number.isNaN(resolved.now.getTime())) throw new RangeError("Demo data: now is not a valid date");
  return resolved;
}

/** How many creators of each tier: the cast shares, rounded so they add up (largest remainder). */
function tierCounts(creators: number): Record<Tier, number> {
  const exact = TIERS.map((tier) => TIER_PROFILES[tier].castShare * creators);
  const counts = exact.map(Math.floor);
  const byRemainder = TIERS.map((_, index) => index).sort(
    (a, b) => (exact[b] as number) - (counts[b] as number) - ((exact[a] as number) - (counts[a] as number)),
  );
  let missing = creators - counts.reduce((sum, count) => sum + count, 0);
  for (const index of byRemainder) {
    if (missing === 0) break;
    counts[index] = (counts[index] as number) + 1;
    missing -= 1;
  }
  return Object.fromEntries(TIERS.map((tier, index) => [tier, counts[index]])) as Record<Tier, number>;
}

function postsOf(options: ResolvedDemoOptions, creatorIndex: number, tier: Tier): number {
  if (options.posts !== undefined) {
    const evenShare = Math.floor(options.posts / options.creators);
    return evenShare + (creatorIndex < options.posts % options.creators ? 1 : 0);
  }
  return (
    options.postsPerCreator ??
    Math.max(1, Math.round((TIER_PROFILES[tier].postsPer84Days * options.days) / DEFAULT_DAYS))
  );
}

function handleOf(creatorIndex: number, names: readonly string[], topics: readonly string[], random: Random) {
  const name = names[creatorIndex % names.length] as string;
  const round = Math.floor(creatorIndex / names.length);
  const topic = topics[(creatorIndex + round * TOPIC_STRIDE) % topics.length] as string;
  // Past every name × topic pair, a number keeps handles unique.
  const repeat = Math.floor(round / topics.length);
  return `${name}${random.pick([".", "_"])}${topic}${repeat > 0 ? repeat + 1 : ""}`;
}

function platformOf(random: Random): DemoPlatform {
  const draw = random.next();
  if (draw < 0.55) return "instagram";
  return draw < 0.85 ? "tiktok" : "youtube";
}

/** The creators of the demo, in the order their rows come. */
export function demoCreators(options: DemoOptions): DemoCreator[] {
  const resolved = resolveOptions(options);
  const castRandom = randomFrom(seedOf(resolved.seed, 0));
  const counts = tierCounts(resolved.creators);
  const tiers = castRandom.shuffled(TIERS.flatMap((tier) => Array<Tier>(counts[tier]).fill(tier)));
  const names = castRandom.shuffled(FIRST_NAMES);
  const topics = castRandom.shuffled(TOPICS);
  const creators = tiers.map((tier, index): DemoCreator => {
    const random = randomFrom(seedOf(resolved.seed, 1, index));
    const profile = TIER_PROFILES[tier];
    const followers = Math.round(random.logBetween(profile.followers[0], profile.followers[1]));
    const fee = Math.max(profile.minimumFee, followers * profile.feePerFollower * random.between(0.85, 1.15));
    return {
      platform: platformOf(random),
      handle: handleOf(index, names, topics, random),
      tier,
      followers,
      fee: Math.round(fee / 5) * 5,
      posts: postsOf(resolved, index, tier),
      drivesLongevityDrop: false,
    };
  });
  // The biggest mega and macro creators cause the drop: only they weigh enough to move a pooled number.
  for (const tier of DROP_TIERS) {
    const biggest = creators
      .filter((creator) => creator.tier === tier)
      .sort((a, b) => b.followers - a.followers)[0];
    if (biggest !== undefined) biggest.drivesLongevityDrop = true;
  }
  return creators;
}

interface PostPlan {
  creator: DemoCreator;
  externalId: string;
  publishedAt: Date;
  campaign: string | null;
  fee: number;
  burnsOut: boolean;
  evergreen: boolean;
}

/**
 * Publishing times of one creator: evenly spaced, each creator of a tier shifted a little further,
 * so every week sees a similar mix of tiers. A creator driving the drop gets a post in the
 * current cohort.
 */
function publishingTimes(
  options: ResolvedDemoOptions,
  creator: DemoCreator,
  rankInTier: number,
  tierSize: number,
  random: Random,
): number[] {
  const startMs = options.now.getTime() - options.days * MS_PER_DAY;
  const spacingDays = options.days / creator.posts;
  const phaseDays = ((rankInTier + 0.5) / tierSize) * spacingDays;
  const times = Array.from({ length: creator.posts }, (_, index) => {
    const days = phaseDays + index * spacingDays + random.between(-0.15, 0.15) * spacingDays;
    return startMs + Math.min(Math.max(days, 0), options.days) * MS_PER_DAY;
  });
  if (creator.drivesLongevityDrop) moveNearestIntoCurrentCohort(options, times, random);
  return times.map((time) => Math.round(time / MINUTE_MS) * MINUTE_MS);
}

function moveNearestIntoCurrentCohort(options: ResolvedDemoOptions, times: number[], random: Random): void {
  if (times.length === 0) return;
  const middleDays = (CURRENT_COHORT_START_DAYS + CURRENT_COHORT_END_DAYS) / 2;
  const target = options.now.getTime() - middleDays * MS_PER_DAY;
  const distances = times.map((time) => Math.abs(time - target));
  const nearest = distances.indexOf(Math.min(...distances));
  times[nearest] = target + random.between(-2, 2) * MS_PER_DAY;
}

function campaignAt(options: ResolvedDemoOptions, publishedMs: number): string {
  const startMs = options.now.getTime() - options.days * MS_PER_DAY;
  const third = Math.floor(((publishedMs - startMs) / (options.days * MS_PER_DAY)) * DEMO_CAMPAIGNS.length);
  return DEMO_CAMPAIGNS[Math.min(Math.max(third, 0), DEMO_CAMPAIGNS.length - 1)] as string;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** An id shaped like the platform's; the post number at its end keeps ids unique. */
function externalIdOf(platform: DemoPlatform, postNumber: number, random: Random): string {
  if (platform === "tiktok") {
    const digits = Array.from({ length: 12 }, () => random.integerBelow(10)).join("");
    return `7${digits}${String(postNumber).padStart(6, "0")}`;
  }
  const letters = Array.from({ length: 6 }, () => random.pick([...BASE62])).join("");
  let suffix = "";
  for (let rest = postNumber; suffix.length < 5 || rest > 0; rest = Math.floor(rest / 62)) {
    suffix = BASE62[rest % 62] + suffix;
  }
  return platform === "instagram" ? `C${letters}${suffix}` : `${letters}${suffix}`;
}

function planPost(
  options: ResolvedDemoOptions,
  creator: DemoCreator,
  publishedMs: number,
  postNumber: number,
  random: Random,
): PostPlan {
  const burnsOut =
    creator.drivesLongevityDrop &&
    publishedMs >= options.now.getTime() - CURRENT_COHORT_START_DAYS * MS_PER_DAY;
  const organic = !burnsOut && random.next() < ORGANIC_POST_SHARE;
  const small = creator.tier === "nano" || creator.tier === "micro";
  return {
    creator,
    externalId: externalIdOf(creator.platform, postNumber, random),
    publishedAt: new Date(publishedMs),
    campaign: organic ? null : campaignAt(options, publishedMs),
    fee: organic ? 0 : creator.fee,
    burnsOut,
    evergreen: small && !burnsOut && random.next() < EVERGREEN_SHARE,
  };
}

/** How a post's cumulative numbers grow with age: each curve goes from 0 towards 1 (or beyond). */
interface PostCurves {
  engagement: (ageDays: number) => number;
  clicks: (ageDays: number) => number;
}

function saturating(ageDays: number, timeConstantDays: number): number {
  return 1 - Math.exp(-ageDays / timeConstantDays);
}

function curvesOf(plan: PostPlan, random: Random): PostCurves {
  const profile = TIER_PROFILES[plan.creator.tier];
  if (plan.burnsOut) {
    return {
      engagement: (age) => 0.97 * saturating(age, 1) + 0.03 * saturating(age, 4),
      clicks: (age) => 0.92 * saturating(age, 0.8) + 0.08 * saturating(age, 5),
    };
  }
  const burstShare = Math.min(0.95, Math.max(0.02, profile.burstShare + random.between(-0.06, 0.06)));
  const lastingDays = plan.evergreen ? 25 : profile.lastingDays * random.between(0.85, 1.15);
  // An evergreen post keeps earning a steady trickle on top: week 4 still brings a quarter of week 1.
  const trickle = plan.evergreen ? 0.02 : 0;
  return {
    engagement: (age) =>
      burstShare * saturating(age, 1.2) + (1 - burstShare) * saturating(age, lastingDays) + trickle * age,
    clicks: (age) => 0.88 * saturating(age, 0.8) + 0.12 * saturating(age, 6),
  };
}

interface PostTotals {
  engagements: number;
  reach: number;
  clicks: number;
  averageOrder: number;
}

function totalsOf(plan: PostPlan, random: Random): PostTotals {
  const profile = TIER_PROFILES[plan.creator.tier];
  const reach = plan.creator.followers * profile.reachRate * random.between(0.75, 1.25);
  const boost = plan.burnsOut ? BURNOUT_ENGAGEMENT_BOOST : 1;
  return {
    engagements: plan.creator.followers * profile.engagementRate * boost * random.between(0.7, 1.3),
    reach,
    clicks: reach * profile.clicksPerReach * random.between(0.7, 1.3),
    averageOrder: random.between(30, 60),
  };
}

/** Daily snapshots of one post, from the day after publishing up to `now` (60 days at most). */
function* snapshotsOf(options: ResolvedDemoOptions, plan: PostPlan, random: Random): Generator<ImportRow> {
  const { creator } = plan;
  const profile = TIER_PROFILES[creator.tier];
  const curves = curvesOf(plan, random);
  const totals = totalsOf(plan, random);
  const [likesShare, commentsShare, sharesShare, savesShare] = profile.mix;
  const ageAtNow = Math.floor((options.now.getTime() - plan.publishedAt.getTime()) / MS_PER_DAY);
  // Day-to-day wobble on each day's growth keeps the curves cumulative (never decreasing).
  let engaged = 0;
  let clicked = 0;
  for (let age = 1; age <= Math.min(ageAtNow, SNAPSHOT_DAYS); age++) {
    engaged += (curves.engagement(age) - curves.engagement(age - 1)) * random.between(0.85, 1.15);
    clicked += (curves.clicks(age) - curves.clicks(age - 1)) * random.between(0.85, 1.15);
    const engagements = totals.engagements * engaged;
    const reach = Math.round(totals.reach * engaged);
    const clicks = Math.round(totals.clicks * clicked);
    const conversions = Math.round(totals.clicks * clicked * CONVERSIONS_PER_CLICK);
    yield {
      platform: creator.platform,
      creator: creator.handle,
      followers: creator.followers,
      campaign: plan.campaign,
      postId: plan.externalId,
      publishedAt: plan.publishedAt,
      fee: plan.fee,
      capturedAt: new Date(plan.publishedAt.getTime() + age * MS_PER_DAY),
      impressions: Math.round(totals.reach * engaged * IMPRESSIONS_PER_REACH),
      reach,
      views: Math.round(totals.reach * engaged * VIEWS_PER_REACH[creator.platform]),
      likes: Math.round(engagements * likesShare),
      comments: Math.round(engagements * commentsShare),
      shares: Math.round(engagements * sharesShare),
      saves: Math.round(engagements * savesShare),
      clicks,
      redemptions: Math.round(totals.clicks * clicked * profile.redemptionsPerClick),
      conversions,
      revenue: Math.round(conversions * totals.averageOrder * 100) / 100,
    };
  }
}

/**
 * The demo's rows, creator by creator and post by post, made lazily: a benchmark-sized demo
 * (thousands of creators, hundreds of thousands of snapshots) never sits in memory.
 * The same options give the same rows.
 */
export function* demoRows(options: DemoOptions): Generator<ImportRow> {
  const resolved = resolveOptions(options);
  const creators = demoCreators(resolved);
  const tierSizes = tierCounts(resolved.creators);
  const ranksSeen: Record<Tier, number> = { nano: 0, micro: 0, mid: 0, macro: 0, mega: 0 };
  let postNumber = 0;
  for (const [creatorIndex, creator] of creators.entries()) {
    const rankInTier = ranksSeen[creator.tier]++;
    const scheduleRandom = randomFrom(seedOf(resolved.seed, 2, creatorIndex));
    const times = publishingTimes(resolved, creator, rankInTier, tierSizes[creator.tier], scheduleRandom);
    for (const [postIndex, publishedMs] of times.entries()) {
      const random = randomFrom(seedOf(resolved.seed, 3, creatorIndex, postIndex));
      const plan = planPost(resolved, creator, publishedMs, postNumber++, random);
      yield* snapshotsOf(resolved, plan, random);
    }
  }
}

export interface SeedDemoOptions extends DemoOptions {
  slug?: string;
}

/** Replaces the demo workspace (default "demo") with freshly generated demo data. */
export async function seedDemo(store: Store, options: SeedDemoOptions): Promise<ImportSummary> {
  const startedAt = performance.now();
  const workspaceSlug = options.slug ?? "demo";
  const written = await importRows(store, workspaceSlug, demoRows(options), { replaceWorkspace: true });
  observeImportRows("demo", written.rows);
  return {
    workspaceSlug,
    rowsRead: written.rows,
    rowsSkipped: 0,
    skipped: { count: 0, messages: [] },
    ...written,
    seconds: (performance.now() - startedAt) / 1000,
  };
}

/** Streams the demo rows into a CSV file, e.g. for benchmarks of `importFile`. */
export async function writeDemoCsv(path: string, options: DemoOptions): Promise<void> {
  await writeRowsCsv(path, demoRows(options));
}
