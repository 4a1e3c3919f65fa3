import { engagementsGiven, engagementsOf } from "./curve.ts";
import { earnedMediaValue } from "./emv.ts";
import { postFacts } from "./postFacts.ts";
import {
  type Aggregate,
  COUNTERS,
  type Counter,
  type Counters,
  type EmvRates,
  type FactSums,
  type PooledSums,
  type PostFacts,
  type PostInput,
  type SnapshotCounters,
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
    givenPosts: zeroCounters(),
    engagedPosts: 0,
    engagedFee: 0,
    engagedFollowers: 0,
    clicksFee: 0,
    conversionsFee: 0,
    revenueFee: 0,
    ctrClicks: 0,
    ctrImpressions: 0,
    reachEngagements: 0,
    reachOfEngaged: 0,
    saveShareActions: 0,
    saveShareReach: 0,
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
  for (const counter of COUNTERS) {
    const value = latest[counter];
    if (value === null) continue;
    sums.latest[counter] += value;
    sums.givenPosts[counter] += 1;
  }
  addRateInputs(sums, post.fee, post.followers, latest);

  if (post.clicksAt3 !== null) {
    sums.frontLoadingPosts += 1;
    sums.clicksAt3 += post.clicksAt3;
    sums.frontLoadingClicksLatest += latest.clicks ?? 0;
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

/** Each rate's numerator and denominator, from the posts that give both (not given is not 0). */
function addRateInputs(sums: FactSums, fee: number, followers: number, latest: SnapshotCounters): void {
  const { clicks, impressions, conversions, revenue, reach, saves, shares } = latest;
  if (clicks !== null) sums.clicksFee += fee;
  if (conversions !== null) sums.conversionsFee += fee;
  if (revenue !== null) sums.revenueFee += fee;
  if (clicks !== null && impressions !== null) {
    sums.ctrClicks += clicks;
    sums.ctrImpressions += impressions;
  }
  if (engagementsGiven(latest)) {
    sums.engagedPosts += 1;
    sums.engagedFee += fee;
    sums.engagedFollowers += followers;
    if (reach !== null) {
      sums.reachEngagements += engagementsOf(latest);
      sums.reachOfEngaged += reach;
    }
  }
  if (reach !== null && (saves !== null || shares !== null)) {
    sums.saveShareActions += (saves ?? 0) + (shares ?? 0);
    sums.saveShareReach += reach;
  }
}

/** numerator / denominator, or null when the denominator is 0 (nothing to divide by). */
function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * The pooled metrics of a group: every ratio is Σ numerators / Σ denominators, never a mean of
 * ratios. From pooled sums alone (no median half-life asked for), the half-life is null.
 */
export function aggregateFromSums(sums: FactSums | PooledSums, rates: EmvRates): Aggregate {
  const { latest } = sums;
  const given = (counter: Counter) => (sums.givenPosts[counter] === 0 ? null : latest[counter]);
  const engagements = sums.engagedPosts === 0 ? null : engagementsOf(latest);
  const sustainedEngagements = sums.sustainedPosts === 0 ? null : sums.sustainedEngagements;
  return {
    posts: sums.posts,
    direct: {
      clicks: given("clicks"),
      impressions: given("impressions"),
      ctr: ratio(sums.ctrClicks, sums.ctrImpressions),
      redemptions: given("redemptions"),
      conversions: given("conversions"),
      revenue: given("revenue"),
      fee: sums.fee,
      cpc: ratio(sums.clicksFee, latest.clicks),
      cpa: ratio(sums.conversionsFee, latest.conversions),
      roas: ratio(latest.revenue, sums.revenueFee),
      clickFrontLoading: ratio(sums.clicksAt3, sums.frontLoadingClicksLatest),
    },
    sustained: {
      engagements,
      sustainedEngagements,
      week2Retention: ratio(sums.week2E14 - sums.week2E7, sums.week2E7),
      longevity: ratio(sums.longevityE28 - sums.longevityE7, sums.longevityE28),
      halfLifeDays: "medianHalfLifeDays" in sums ? sums.medianHalfLifeDays : null,
      evergreenPosts: sums.evergreenPosts,
      engagementRateByFollowers: engagements === null ? null : ratio(engagements, sums.engagedFollowers),
      engagementRateByReach: ratio(sums.reachEngagements, sums.reachOfEngaged),
      saveShareRate: ratio(sums.saveShareActions, sums.saveShareReach),
      cpe: engagements === null ? null : ratio(sums.engagedFee, engagements),
      costPerSustainedEngagement:
        sustainedEngagements === null ? null : ratio(sums.sustainedFee, sustainedEngagements),
      emv: earnedMediaValue(latest, rates),
    },
    basis: {
      observed: sums.observedPosts,
      given: { ...sums.givenPosts },
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
