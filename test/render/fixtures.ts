import { helpContent } from "../../src/commands/help.ts";
import type {
  CampaignReportView,
  CompareTiersView,
  CreatorProfileView,
  CreatorRetentionAlertView,
  CreatorRow,
  CurvePointView,
  EvergreenAlertView,
  HelpView,
  LongevityAlertsView,
  MessageView,
  NotFoundView,
  RankedRow,
  RetentionWeek,
  TierRow,
  TopView,
  ViewModel,
  WeeklyDigestView,
  WorkspaceInfo,
} from "../../src/insights/viewModels.ts";
import { type Aggregate, COUNTERS, type Counters, type Tier } from "../../src/metrics/types.ts";

export const workspace: WorkspaceInfo = {
  slug: "acme",
  name: "Acme Foods",
  currency: "EUR",
  locale: "en-US",
  timezone: "Europe/Amsterdam",
  privateCharts: false,
};

const AS_OF = "2026-03-30T08:00:00.000Z";
const TIERS: Tier[] = ["nano", "micro", "mid", "macro", "mega"];

/** A handle as long as platforms allow, to push every length limit. */
export const LONG_HANDLE = "the.extraordinarily.long.handle.of_a.creator.who.bakes.sourdough";
export const LONG_CAMPAIGN = "spring launch 2026 — sourdough starter kit, EU markets, second wave";

/** One creator's numbers: €1,234.50 of fee, 25% week-2 retention, a CTR of 2%. */
export const aggregate: Aggregate = {
  posts: 18,
  direct: {
    clicks: 4321,
    impressions: 216_050,
    ctr: 0.02,
    redemptions: 87,
    conversions: 64,
    revenue: 3210.75,
    fee: 1234.5,
    cpc: 0.2857,
    cpa: 19.29,
    roas: 2.6,
    clickFrontLoading: 0.82,
  },
  sustained: {
    engagements: 25_600,
    sustainedEngagements: 7400,
    week2Retention: 0.25,
    longevity: 0.3333,
    halfLifeDays: 3,
    evergreenPosts: 4,
    engagementRateByFollowers: 0.061,
    engagementRateByReach: 0.09,
    saveShareRate: 0.012,
    cpe: 0.048,
    costPerSustainedEngagement: 0.1668,
    emv: 5120,
  },
  basis: {
    observed: 18,
    given: givenOn(18),
    clickFrontLoading: 18,
    week2Retention: 15,
    longevity: 12,
    sustained: 12,
    halfLife: 12,
  },
};

/** A creator too new for any sustained metric. */
export const newAggregate: Aggregate = {
  posts: 2,
  direct: { ...aggregate.direct, clicks: 120, clickFrontLoading: null },
  sustained: {
    engagements: 900,
    sustainedEngagements: null,
    week2Retention: null,
    longevity: null,
    halfLifeDays: null,
    evergreenPosts: 0,
    engagementRateByFollowers: null,
    engagementRateByReach: null,
    saveShareRate: null,
    cpe: null,
    costPerSustainedEngagement: null,
    emv: 0,
  },
  basis: {
    observed: 2,
    given: givenOn(2),
    clickFrontLoading: 0,
    week2Retention: 0,
    longevity: 0,
    sustained: 0,
    halfLife: 0,
  },
};

/** Every counter given on `posts` posts. */
export function givenOn(posts: number): Counters {
  return Object.fromEntries(COUNTERS.map((counter) => [counter, posts])) as Counters;
}

/** Days 0–28, every day observed: the longest curve a chart gets. */
export function curve(days = 28, scale = 1): CurvePointView[] {
  return Array.from({ length: 29 }, (_, day) => ({
    day,
    posts: day <= days ? 12 : 0,
    engagements: day <= days ? scale * (1234.567 * Math.log1p(day) + 0.123) : null,
    clicks: day <= days ? scale * 321.987 * (1 - Math.exp(-day / 2)) : null,
  }));
}

export function retentionWeeks(count: number): RetentionWeek[] {
  return Array.from({ length: count }, (_, i) => ({
    week: new Date(Date.UTC(2026, 0, 5 + 7 * i)).toISOString().slice(0, 10),
    posts: 5 + i,
    week2Retention: i === 0 ? null : 0.31 - i * 0.0123456,
  }));
}

const tierMedians = {
  tier: "micro" as const,
  creators: 38,
  week2Retention: 0.2,
  longevity: 0.4,
  halfLifeDays: 3,
  ctr: null,
  cpe: 0.06,
  costPerSustainedEngagement: 0.2,
  engagementRateByFollowers: 0.05,
};

export const creatorProfile: CreatorProfileView = {
  kind: "creatorProfile",
  workspace,
  asOf: AS_OF,
  ...aggregate,
  creator: { handle: "anna.bakes", platform: "instagram", followers: 12_400, tier: "micro" },
  resolvedFrom: null,
  campaigns: ["spring-launch", "autumn-bake-off"],
  tierMedians,
  curve: curve(),
};

export const newCreatorProfile: CreatorProfileView = {
  ...creatorProfile,
  ...newAggregate,
  creator: { handle: LONG_HANDLE, platform: "tiktok", followers: 3100, tier: "micro" },
  campaigns: Array.from({ length: 25 }, (_, i) => `campaign-${i + 1}`),
  curve: curve(4),
};

function tierRow(tier: Tier, i: number, sustained: boolean): TierRow {
  return {
    tier,
    creators: 3 + i,
    posts: 10 + 4 * i,
    fee: 1000 * (i + 1) ** 2,
    clicks: 800 + 900 * i,
    engagements: 9000 + 5000 * i,
    sustainedEngagements: sustained ? 4000 - 500 * i : null,
    cpe: sustained ? 0.05 + i * 0.03 : null,
    costPerSustainedEngagement: sustained ? 0.25 * (i + 1) : null,
    week2Retention: sustained ? 0.3 - i * 0.04 : null,
    longevity: sustained ? 0.45 - i * 0.05 : null,
    medianHalfLifeDays: sustained ? 6 - i : null,
    emvPerFee: sustained ? 3 - i * 0.4 : null,
    basis: {
      observed: 10,
      given: givenOn(10),
      clickFrontLoading: 10,
      week2Retention: 8,
      longevity: 6,
      sustained: 6,
      halfLife: 6,
    },
  };
}

export const compareTiers: CompareTiersView = {
  kind: "compareTiers",
  workspace,
  asOf: AS_OF,
  tiers: TIERS.map((tier, i) => tierRow(tier, i, true)),
};

function creatorRow(i: number, sustained: boolean): CreatorRow {
  return {
    handle: `${LONG_HANDLE}.${i}`,
    platform: "instagram",
    tier: TIERS[i % TIERS.length] ?? "micro",
    posts: 3 + (i % 4),
    clicks: 1000 - i * 7,
    engagements: 9000 - i * 50,
    sustainedEngagements: sustained ? 5000 - i * 90 : null,
    week2Retention: sustained ? 0.4 - i * 0.005 : null,
    longevity: sustained ? 0.5 - i * 0.006 : null,
  };
}

export const campaignReport: CampaignReportView = {
  kind: "campaignReport",
  workspace,
  asOf: AS_OF,
  ...aggregate,
  campaign: { name: "spring-launch" },
  creators: 6,
  byTier: [tierRow("micro", 0, true), tierRow("macro", 1, true)],
  topCreators: Array.from({ length: 5 }, (_, i) => ({ ...creatorRow(i, true), handle: `creator${i + 1}` })),
  retentionTrend: retentionWeeks(8),
  curve: curve(),
};

/** 40 creators with long handles, 5 tiers, 12 weeks, a full curve, no sustained metric known. */
export const bigCampaignReport: CampaignReportView = {
  ...campaignReport,
  ...newAggregate,
  campaign: { name: LONG_CAMPAIGN },
  creators: 40,
  byTier: TIERS.map((tier, i) => tierRow(tier, i, false)),
  topCreators: Array.from({ length: 40 }, (_, i) => creatorRow(i, false)),
  retentionTrend: retentionWeeks(12),
  curve: curve(28, 1000),
};

function rankedRow(i: number): RankedRow {
  return {
    rank: i + 1,
    label: `@${LONG_HANDLE}.${i} · instagram 3141592653589793${i}`,
    url: `https://www.instagram.com/p/${"C".repeat(11)}${i}/?utm_source=longtail&utm_medium=chat&utm_campaign=spring`,
    value: 0.5 - i * 0.007,
    posts: 1,
    clicks: 500 - i,
    sustainedEngagements: i % 3 === 0 ? null : 3000 - i * 20,
  };
}

export const top: TopView = {
  kind: "top",
  workspace,
  asOf: AS_OF,
  entity: "creators",
  metric: { key: "longevity", label: "Longevity", higherIsBetter: true },
  campaign: "spring-launch",
  period: { from: "2026-03-01T00:00:00.000Z", to: "2026-03-30T00:00:00.000Z" },
  rows: Array.from({ length: 5 }, (_, i) => ({ ...rankedRow(i), label: `@creator${i + 1}`, url: null })),
  withoutValue: 2,
};

/** 50 posts, long labels and links: more than one section can hold. */
export const bigTop: TopView = {
  ...top,
  entity: "posts",
  campaign: LONG_CAMPAIGN,
  rows: Array.from({ length: 50 }, (_, i) => rankedRow(i)),
  withoutValue: 17,
};

export const emptyTop: TopView = { ...top, rows: [], withoutValue: 9 };

export const weeklyDigest: WeeklyDigestView = {
  kind: "weeklyDigest",
  workspace,
  asOf: AS_OF,
  campaign: null,
  week: { from: "2026-03-23T08:00:00.000Z", to: AS_OF },
  thisWeek: { postsPublished: 6, clicks: 1234, engagements: 8800, sustainedEngagements: 2100 },
  previousWeek: { postsPublished: 4, clicks: 1500, engagements: 8000, sustainedEngagements: 2100 },
  topByClicks: [
    { handle: "mega.chef", tier: "mega", clicks: 900, sustainedEngagements: 100 },
    { handle: "anna.bakes", tier: "micro", clicks: 200, sustainedEngagements: 1200 },
  ],
  topBySustained: [
    { handle: "anna.bakes", tier: "micro", clicks: 200, sustainedEngagements: 1200 },
    { handle: "mega.chef", tier: "mega", clicks: 900, sustainedEngagements: 100 },
  ],
  evergreen: [
    {
      label: "@anna.bakes · instagram 123",
      url: "https://www.instagram.com/p/abc/",
      publishedAt: "2026-02-01T10:00:00.000Z",
      week4VsWeek1: 0.31,
      sustainedEngagements: 640,
    },
  ],
  microVsMacro: {
    micro: {
      tier: "micro",
      posts: 30,
      fee: 4000,
      clicksPerFee: 0.3,
      sustainedEngagementsPerFee: 1.25,
      basis: { observed: 30, given: givenOn(30) },
      emvPerFee: 2.1,
    },
    macro: {
      tier: "macro",
      posts: 8,
      fee: 24_000,
      clicksPerFee: 0.45,
      sustainedEngagementsPerFee: null,
      basis: { observed: 8, given: givenOn(8) },
      emvPerFee: 0.9,
    },
  },
  retentionTrend: retentionWeeks(8),
};

export const bigWeeklyDigest: WeeklyDigestView = {
  ...weeklyDigest,
  campaign: LONG_CAMPAIGN,
  topByClicks: Array.from({ length: 40 }, (_, i) => ({
    handle: `${LONG_HANDLE}.${i}`,
    tier: "micro",
    clicks: 900 - i,
    sustainedEngagements: 10 * i,
  })),
  topBySustained: Array.from({ length: 40 }, (_, i) => ({
    handle: `${LONG_HANDLE}.${i}`,
    tier: "nano",
    clicks: 9 * i,
    sustainedEngagements: 2000 - i,
  })),
  evergreen: Array.from({ length: 40 }, (_, i) => ({
    label: `@${LONG_HANDLE}.${i} · instagram 3141592653589793${i}`,
    url: `https://www.instagram.com/p/${"C".repeat(11)}${i}/`,
    publishedAt: "2026-02-01T10:00:00.000Z",
    week4VsWeek1: 0.3,
    sustainedEngagements: 600 - i,
  })),
  retentionTrend: retentionWeeks(12),
};

const cohorts = {
  current: {
    from: "2026-03-09T08:00:00.000Z",
    to: "2026-03-16T08:00:00.000Z",
    posts: 6,
    week2Retention: 0.18,
  },
  baseline: {
    from: "2026-01-12T08:00:00.000Z",
    to: "2026-03-09T08:00:00.000Z",
    posts: 24,
    week2Retention: 0.3,
  },
};

export const longevityAlerts: LongevityAlertsView = {
  kind: "longevityAlerts",
  workspace,
  asOf: AS_OF,
  campaign: null,
  rule: { drop: 0.25, minPosts: 3 },
  check: { ...cohorts, fired: true, reason: "week-2 retention fell 40% below the baseline" },
  alerts: [
    {
      campaign: null,
      ...cohorts,
      drop: 0.4,
      drivers: [
        { handle: "anna.bakes", posts: 3, week2Retention: 0.1, share: 0.6 },
        { handle: "mega.chef", posts: 2, week2Retention: 0.15, share: 0.4 },
      ],
    },
    {
      campaign: "spring launch",
      ...cohorts,
      drop: 0.35,
      drivers: [{ handle: "anna.bakes", posts: 3, week2Retention: 0.1, share: 1 }],
    },
  ],
};

export const quietLongevityAlerts: LongevityAlertsView = {
  ...longevityAlerts,
  campaign: "spring-launch",
  check: { ...cohorts, fired: false, reason: "only 2 recent posts have two weeks of history (3 needed)" },
  alerts: [],
};

/** Every campaign of a big workspace alerting at once. */
export const manyLongevityAlerts: LongevityAlertsView = {
  ...longevityAlerts,
  alerts: Array.from({ length: 60 }, (_, i) => ({
    campaign: `${LONG_CAMPAIGN} ${i}`,
    ...cohorts,
    drop: 0.3,
    drivers: Array.from({ length: 3 }, (_, j) => ({
      handle: `${LONG_HANDLE}.${j}`,
      posts: 2,
      week2Retention: null,
      share: 1 / 3,
    })),
  })),
};

export const creatorNotFound: NotFoundView = {
  kind: "notFound",
  workspace,
  asOf: AS_OF,
  entity: "creator",
  query: "anna.bake",
  suggestions: ["@anna.bakes", "@ana_cooks"],
};

export const campaignNotFound: NotFoundView = {
  ...creatorNotFound,
  entity: "campaign",
  query: "spring",
  suggestions: ["spring launch", "spring-2025"],
};

export const help: HelpView = { kind: "help", ...helpContent(), notUnderstood: null };

export const notUnderstood: HelpView = {
  ...help,
  notUnderstood: { text: "<@U123> what's up & <b>", reason: "I could not find a question in it." },
};

export const message: MessageView = {
  kind: "message",
  tone: "success",
  title: "Subscribed #marketing to the weekly digest",
  lines: ["Every Monday at 09:00 (Europe/Amsterdam)."],
};

export const evergreenAlert: EvergreenAlertView = {
  kind: "evergreenAlert",
  workspace,
  asOf: AS_OF,
  post: {
    handle: "anna.bakes",
    platform: "instagram",
    externalId: "C1",
    url: "https://www.instagram.com/p/C1/",
    publishedAt: "2026-03-01T09:00:00.000Z",
    campaign: "spring-launch",
  },
  week1Engagements: 1200,
  week4Engagements: 420,
  week4VsWeek1: 0.35,
};

export const creatorRetentionAlert: CreatorRetentionAlertView = {
  kind: "creatorRetentionAlert",
  workspace,
  asOf: AS_OF,
  creator: { handle: "anna.bakes" },
  threshold: 0.5,
  current: {
    from: "2026-03-09T09:00:00.000Z",
    to: "2026-03-16T09:00:00.000Z",
    posts: 1,
    week2Retention: 0.1,
  },
  baseline: {
    from: "2026-01-12T09:00:00.000Z",
    to: "2026-03-09T09:00:00.000Z",
    posts: 6,
    week2Retention: 0.3,
  },
};

/** Every fixture by name: each renderer must fit Slack's limits for all of them. */
export const allViews: Record<string, ViewModel> = {
  creatorProfile,
  newCreatorProfile,
  campaignReport,
  bigCampaignReport,
  compareTiers,
  top,
  bigTop,
  emptyTop,
  weeklyDigest,
  bigWeeklyDigest,
  longevityAlerts,
  quietLongevityAlerts,
  manyLongevityAlerts,
  creatorNotFound,
  campaignNotFound,
  help,
  notUnderstood,
  message,
  evergreenAlert,
  creatorRetentionAlert,
};
