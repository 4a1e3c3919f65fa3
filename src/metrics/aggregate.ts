import { engagementsOf } from "./curve.ts";
import { earnedMediaValue } from "./emv.ts";
import { postFacts } from "./postFacts.ts";
import {
  type Aggregate,
  COUNTERS,
  type Counters,
  type EmvRates,
  type FactSums,
  type PostFacts,
  type PostInput,
} from "./types.ts";

/** The usual median: the middle value, or the mean of the two middle ones; null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] as number) + upper) / 2;
}

/** A post still earning in week 4 at least a quarter of what it earned in week 1. */
export function isEvergreen(facts: PostFacts): boolean {
  const { engagementsAt7: e7, engagementsAt21: e21, engagementsAt28: e28 } = facts;
  if (e7 === null || e21 === null || e28 === null) return false;
  // E(28) > 0: a post nobody engaged with is not evergreen, even though 0 − 0 ≥ 0.25 · 0.
  return e28 > 0 && e28 - e21 >= 0.25 * e7;
}

export function zeroCounters(): Counters {
  const counters = {} as Counters;
  for (const counter of COUNTERS) counters[counter] = 0;
  return counters;
}

function emptySums(): FactSums {
  return {
    posts: 0,
    fee: 0,
    observedPosts: 0,
    latest: zeroCounters(),
    observedFee: 0,
    observedFollowers: 0,
    frontLoadingPosts: 0,
    clicksAt3: 0,
    frontLoadingClicksLatest: 0,
    week2Posts: 0,
    week2E7: 0,
    week2E14: 0,
    longevityPosts: 0,
    longevityE7: 0,
    longevityE28: 0,
    sustainedPosts: 0,
    sustainedEngagements: 0,
    sustainedFee: 0,
    evergreenPosts: 0,
    halfLifePosts: 0,
    medianHalfLifeDays: null,
  };
}

/** Sums each metric's numerator and denominator over the posts where that metric is defined. */
export function sumFacts(facts: readonly PostFacts[]): FactSums {
  const sums = emptySums();
  const halfLives: number[] = [];
  for (const post of facts) {
    addPost(sums, post);
    if (post.halfLifeDays !== null) halfLives.push(post.halfLifeDays);
  }
  sums.halfLifePosts = halfLives.length;
  sums.medianHalfLifeDays = median(halfLives);
  return sums;
}

function addPost(sums: FactSums, post: PostFacts): void {
  sums.posts += 1;
  sums.fee += post.fee;
  const latest = post.latest;
  if (latest === null) return;

  sums.observedPosts += 1;
  sums.observedFee += post.fee;
  sums.observedFollowers += post.followers;
  for (const counter of COUNTERS) sums.latest[counter] += latest[counter];

  if (post.clicksAt3 !== null) {
    sums.frontLoadingPosts += 1;
    sums.clicksAt3 += post.clicksAt3;
    sums.frontLoadingClicksLatest += latest.clicks;
  }
  const { engagementsAt7: e7, engagementsAt14: e14, engagementsAt28: e28 } = post;
  if (e7 !== null && e14 !== null && e7 > 0) {
    sums.week2Posts += 1;
    sums.week2E7 += e7;
    sums.week2E14 += e14;
  }
  if (e7 !== null && e28 !== null) {
    if (e28 > 0) {
      sums.longevityPosts += 1;
      sums.longevityE7 += e7;
      sums.longevityE28 += e28;
    }
    sums.sustainedPosts += 1;
    sums.sustainedEngagements += e28 - e7;
    sums.sustainedFee += post.fee;
    if (isEvergreen(post)) sums.evergreenPosts += 1;
  }
}

/** numerator / denominator, or null when the denominator is 0 (nothing to divide by). */
function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** The pooled metrics of a group: every ratio is Σ numerators / Σ denominators, never a mean of ratios. */
export function aggregateFromSums(sums: FactSums, rates: EmvRates): Aggregate {
  const { latest } = sums;
  const engagements = engagementsOf(latest);
  const sustainedEngagements = sums.sustainedPosts === 0 ? null : sums.sustainedEngagements;
  return {
    posts: sums.posts,
    direct: {
      clicks: latest.clicks,
      impressions: latest.impressions,
      ctr: ratio(latest.clicks, latest.impressions),
      redemptions: latest.redemptions,
      conversions: latest.conversions,
      revenue: latest.revenue,
      fee: sums.fee,
      cpc: ratio(sums.observedFee, latest.clicks),
      cpa: ratio(sums.observedFee, latest.conversions),
      roas: ratio(latest.revenue, sums.observedFee),
      clickFrontLoading: ratio(sums.clicksAt3, sums.frontLoadingClicksLatest),
    },
    sustained: {
      engagements,
      sustainedEngagements,
      week2Retention: ratio(sums.week2E14 - sums.week2E7, sums.week2E7),
      longevity: ratio(sums.longevityE28 - sums.longevityE7, sums.longevityE28),
      halfLifeDays: sums.medianHalfLifeDays,
      evergreenPosts: sums.evergreenPosts,
      engagementRateByFollowers: ratio(engagements, sums.observedFollowers),
      engagementRateByReach: ratio(engagements, latest.reach),
      saveShareRate: ratio(latest.saves + latest.shares, latest.reach),
      cpe: ratio(sums.observedFee, engagements),
      costPerSustainedEngagement:
        sustainedEngagements === null ? null : ratio(sums.sustainedFee, sustainedEngagements),
      emv: earnedMediaValue(latest, rates),
    },
    basis: {
      observed: sums.observedPosts,
      clickFrontLoading: sums.frontLoadingPosts,
      week2Retention: sums.week2Posts,
      longevity: sums.longevityPosts,
      sustained: sums.sustainedPosts,
      halfLife: sums.halfLifePosts,
    },
  };
}

/** Pooled metrics of a group of posts as of `now`. */
export function aggregatePosts(posts: readonly PostInput[], now: Date, rates: EmvRates): Aggregate {
  return aggregateFromSums(sumFacts(posts.map((post) => postFacts(post, now))), rates);
}
