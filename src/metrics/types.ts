/** The cumulative counters a snapshot carries (PRODUCT.md). */
export const COUNTERS = [
  "impressions",
  "reach",
  "views",
  "likes",
  "comments",
  "shares",
  "saves",
  "clicks",
  "redemptions",
  "conversions",
  "revenue",
] as const;
export type Counter = (typeof COUNTERS)[number];
export type Counters = Record<Counter, number>;
/** Counters as a platform gives them: null is a counter it did not give ("not given", never 0). */
export type SnapshotCounters = Record<Counter, number | null>;

export interface Snapshot extends SnapshotCounters {
  capturedAt: Date;
}

/** One post with everything the metric definitions need. */
export interface PostInput {
  publishedAt: Date;
  /** What the post cost, in the workspace currency. */
  fee: number;
  /** The creator's current followers. */
  followers: number;
  /** Any order; duplicates at one capturedAt count once (the last one wins). */
  snapshots: Snapshot[];
}

/** Ages (days since publishing) at which the sustained metrics read the engagement curve. */
export const HORIZON_DAYS = 28;

/**
 * Per-post numbers as of a moment `now`, from which every aggregate is pooled.
 * The SQL path (src/store/postFacts.ts) produces exactly these; src/metrics is its reference.
 */
export interface PostFacts {
  fee: number;
  followers: number;
  /** Age of the last snapshot at or before `now`; null when the post has no snapshot yet. */
  observedAgeDays: number | null;
  /**
   * Counters of the last snapshot at or before `now` (running maxima); null when there is none.
   * A counter none of the snapshots up to `now` gives is null.
   */
  latest: SnapshotCounters | null;
  /** clicks(3); null when not observed that long, or when clicks are not given. */
  clicksAt3: number | null;
  /** E(7), E(14), E(21), E(28); each null when not observed that long, or when no part of E is given. */
  engagementsAt7: number | null;
  engagementsAt14: number | null;
  engagementsAt21: number | null;
  engagementsAt28: number | null;
  /** Engagement half-life in days; null when observed < 28 days or E(28) = 0. */
  halfLifeDays: number | null;
}

/**
 * Sums over a group of posts, each taken over the posts where its metric is defined, with the
 * number of posts behind it. Pooled ratios are quotients of these sums.
 */
export interface PooledSums {
  posts: number;
  /** Fee of every post in the group. */
  fee: number;
  /** Posts with at least one snapshot; Σ of their latest counters, each over the posts that give it. */
  observedPosts: number;
  latest: Counters;
  /** Of the observed posts, how many give each counter. */
  givenPosts: Counters;
  /** Observed posts giving any part of E: how many, Σ fee, Σ followers. */
  engagedPosts: number;
  engagedFee: number;
  engagedFollowers: number;
  /** Σ fee over the observed posts giving clicks, conversions, revenue. */
  clicksFee: number;
  conversionsFee: number;
  revenueFee: number;
  /** Posts giving both clicks and impressions: Σ clicks, Σ impressions. */
  ctrClicks: number;
  ctrImpressions: number;
  /** Posts giving reach and a part of E: Σ E, Σ reach. */
  reachEngagements: number;
  reachOfEngaged: number;
  /** Posts giving reach and saves or shares: Σ (saves + shares), Σ reach. */
  saveShareActions: number;
  saveShareReach: number;
  /** Posts observed for ≥ 3 days: Σ clicks(3) and Σ clicks(latest). */
  frontLoadingPosts: number;
  clicksAt3: number;
  frontLoadingClicksLatest: number;
  /** Posts observed ≥ 14 days with E(7) > 0: Σ E(7), Σ E(14). */
  week2Posts: number;
  week2E7: number;
  week2E14: number;
  /** Posts observed ≥ 28 days with E(28) > 0: Σ E(7), Σ E(28). */
  longevityPosts: number;
  longevityE7: number;
  longevityE28: number;
  /** Posts observed ≥ 28 days: Σ (E(28) − E(7)), Σ fee, and how many are evergreen. */
  sustainedPosts: number;
  sustainedEngagements: number;
  sustainedFee: number;
  evergreenPosts: number;
  /** Posts with a half-life. */
  halfLifePosts: number;
}

/** The pooled sums of a group of posts and the median of their half-lives (not a sum). */
export interface FactSums extends PooledSums {
  medianHalfLifeDays: number | null;
}

/** Earned-media value per action, in the workspace currency. */
export type EmvRates = Record<
  "impressions" | "views" | "likes" | "comments" | "shares" | "saves" | "clicks",
  number
>;

export type Tier = "nano" | "micro" | "mid" | "macro" | "mega";
export const TIERS: readonly Tier[] = ["nano", "micro", "mid", "macro", "mega"];

/** [microFrom, midAbove, macroFrom, megaFrom]: nano < b0 ≤ micro ≤ b1 < mid < b2 ≤ macro < b3 ≤ mega. */
export type TierBoundaries = readonly [number, number, number, number];

/** The pooled metrics of a group of posts: the JSON interface scripts read (issue #2). */
/** A count is null when no post of the group gives it; a ratio, when its inputs are not given. */
export interface DirectMetrics {
  clicks: number | null;
  impressions: number | null;
  ctr: number | null;
  redemptions: number | null;
  conversions: number | null;
  revenue: number | null;
  fee: number;
  cpc: number | null;
  cpa: number | null;
  roas: number | null;
  clickFrontLoading: number | null;
}

export interface SustainedMetrics {
  /** Σ E over the posts giving a part of it; null when none does. */
  engagements: number | null;
  sustainedEngagements: number | null;
  week2Retention: number | null;
  longevity: number | null;
  halfLifeDays: number | null;
  evergreenPosts: number;
  engagementRateByFollowers: number | null;
  engagementRateByReach: number | null;
  saveShareRate: number | null;
  cpe: number | null;
  costPerSustainedEngagement: number | null;
  emv: number;
}

/** How many posts each family of metrics stands on, where that differs from `posts`. */
export interface MetricBasis {
  observed: number;
  /** Of the observed posts, how many give each counter (the rest did not: "not given", not 0). */
  given: Counters;
  clickFrontLoading: number;
  week2Retention: number;
  longevity: number;
  sustained: number;
  halfLife: number;
}

export interface Aggregate {
  posts: number;
  direct: DirectMetrics;
  sustained: SustainedMetrics;
  basis: MetricBasis;
}
