import type { AlertRuleKind } from "../commands/alertRules.ts";
import type { GlossaryEntry, HelpSection } from "../commands/help.ts";
import type { MetricKey } from "../commands/metricKeys.ts";
import type { Suggestion } from "../commands/suggestion.ts";
import type { GivenBasis } from "../metrics/given.ts";
import type { TierMedianValues } from "../metrics/tierMedians.ts";
import type { Aggregate, MetricBasis, Tier } from "../metrics/types.ts";

/**
 * Plain data every renderer (Slack, Teams, text, JSON) works from. Dates are ISO strings so a
 * view model serialises as it is; money is in the workspace currency.
 */

export interface WorkspaceInfo {
  slug: string;
  name: string;
  currency: string;
  locale: string;
  timezone: string;
  /** Charts are rendered locally and uploaded instead of linked from QuickChart. */
  privateCharts: boolean;
}

interface ViewBase {
  workspace: WorkspaceInfo;
  /** The moment the numbers are computed as of. */
  asOf: string;
}

export interface CurvePointView {
  day: number;
  posts: number;
  engagements: number | null;
  clicks: number | null;
}

/** Medians over the creators of one tier: where a creator or campaign stands. */
/** The median creator of a tier (src/metrics/tierMedians.ts). */
export interface TierMedians extends TierMedianValues {
  tier: Tier;
}

export interface CreatorProfileView extends ViewBase, Aggregate {
  kind: "creatorProfile";
  creator: { handle: string; platform: string; followers: number; tier: Tier };
  /** What was typed when it named this creator only by a prefix or without punctuation ("anna"); else null. */
  resolvedFrom: string | null;
  campaigns: string[];
  tierMedians: TierMedians;
  curve: CurvePointView[];
}

export interface CreatorRow {
  handle: string;
  platform: string;
  tier: Tier;
  posts: number;
  /** Null when none of the posts gives it. */
  clicks: number | null;
  engagements: number | null;
  sustainedEngagements: number | null;
  week2Retention: number | null;
  longevity: number | null;
}

export interface RetentionWeek {
  /** Monday of the publishing week, YYYY-MM-DD. */
  week: string;
  posts: number;
  week2Retention: number | null;
}

export interface CampaignReportView extends ViewBase, Aggregate {
  kind: "campaignReport";
  campaign: { name: string };
  creators: number;
  byTier: TierRow[];
  topCreators: CreatorRow[];
  retentionTrend: RetentionWeek[];
  curve: CurvePointView[];
}

export interface TierRow {
  tier: Tier;
  creators: number;
  posts: number;
  fee: number;
  /** Null when none of the posts gives it. */
  clicks: number | null;
  engagements: number | null;
  sustainedEngagements: number | null;
  cpe: number | null;
  costPerSustainedEngagement: number | null;
  week2Retention: number | null;
  longevity: number | null;
  medianHalfLifeDays: number | null;
  emvPerFee: number | null;
  basis: MetricBasis;
}

export interface CompareTiersView extends ViewBase {
  kind: "compareTiers";
  tiers: TierRow[];
}

export interface RankedRow {
  rank: number;
  /** "@handle" for creators; "@handle · platform post-id" for posts. */
  label: string;
  url: string | null;
  value: number;
  posts: number;
  /** Null when none of the posts gives it. */
  clicks: number | null;
  sustainedEngagements: number | null;
}

export interface TopView extends ViewBase {
  kind: "top";
  entity: "creators" | "posts";
  metric: { key: MetricKey; label: string; higherIsBetter: boolean };
  campaign: string | null;
  period: { from: string; to: string } | null;
  rows: RankedRow[];
  /** Candidates that had no value for the metric yet (too little history). */
  withoutValue: number;
}

export interface WeekNumbers {
  postsPublished: number;
  clicks: number;
  engagements: number;
  /** Engagements earned by posts past their first week. */
  sustainedEngagements: number;
}

export interface CreatorWeekRow {
  handle: string;
  tier: Tier;
  clicks: number;
  sustainedEngagements: number;
}

export interface EvergreenPost {
  label: string;
  url: string | null;
  publishedAt: string;
  /** Engagements in week 4 (days 21–28) as a share of week 1. */
  week4VsWeek1: number;
  sustainedEngagements: number;
}

export interface ValuePerFee {
  tier: Tier;
  posts: number;
  fee: number;
  clicksPerFee: number | null;
  sustainedEngagementsPerFee: number | null;
  emvPerFee: number | null;
  /** On how many of its posts each counter was given. */
  basis: GivenBasis;
}

export interface WeeklyDigestView extends ViewBase {
  kind: "weeklyDigest";
  campaign: string | null;
  week: { from: string; to: string };
  thisWeek: WeekNumbers;
  previousWeek: WeekNumbers;
  topByClicks: CreatorWeekRow[];
  topBySustained: CreatorWeekRow[];
  evergreen: EvergreenPost[];
  microVsMacro: { micro: ValuePerFee; macro: ValuePerFee };
  retentionTrend: RetentionWeek[];
}

export interface CohortStats {
  from: string;
  to: string;
  posts: number;
  week2Retention: number | null;
}

export interface AlertDriver {
  handle: string;
  posts: number;
  week2Retention: number | null;
  /** This creator's share of the drop among the creators below the baseline: the shares of all of them add up to 1. */
  share: number;
}

export interface LongevityAlert {
  campaign: string | null;
  current: CohortStats;
  baseline: CohortStats;
  /** How far current fell below baseline, as a fraction (0.4 = 40 % lower). */
  drop: number;
  drivers: AlertDriver[];
}

export interface LongevityAlertsView extends ViewBase {
  kind: "longevityAlerts";
  campaign: string | null;
  rule: { drop: number; minPosts: number };
  /** The workspace-wide (or campaign) check, whether it fired or not. */
  check: { current: CohortStats; baseline: CohortStats; fired: boolean; reason: string };
  alerts: LongevityAlert[];
}

export interface NotFoundView extends ViewBase {
  kind: "notFound";
  entity: "creator" | "campaign" | "workspace";
  query: string;
  suggestions: string[];
}

export interface HelpView {
  kind: "help";
  sections: HelpSection[];
  glossary: GlossaryEntry[];
  /** Set when the help answers something that was not understood. */
  notUnderstood: { text: string; reason: string } | null;
}

/** A short confirmation, or what went wrong and how to fix it: plain sentences, no platform syntax. */
export interface MessageView {
  kind: "message";
  tone: "success" | "info" | "error";
  title: string;
  lines: string[];
  /** What to ask next, each after a lead-in ("Stop it with" + the unsubscribe suggestion, phrased by the renderer). */
  next?: { lead: string; ask: Suggestion }[];
  /** Set on failures: the id the log line carries, for the admin. */
  reference?: string;
}

/** A channel (Slack) or conversation (Teams) as data: each renderer names or links it. */
export interface ChannelRef {
  platform: "slack" | "teams";
  id: string;
}

export interface SubscriptionRow {
  channel: ChannelRef;
  /** As asked for: "weekly mon 09:00". */
  schedule: string;
  timezone: string;
  campaign: string | null;
  /** Null when stopped. */
  nextRunAt: string | null;
  /** Why it stopped; null while active. */
  stopped: string | null;
}

export interface AlertRuleRow {
  channel: ChannelRef;
  rule: AlertRuleKind;
  threshold: number;
  campaign: string | null;
  stopped: string | null;
}

/** `subscriptions`: every digest subscription and alert rule of the workspace. */
export interface SubscriptionsView extends ViewBase {
  kind: "subscriptions";
  subscriptions: SubscriptionRow[];
  alertRules: AlertRuleRow[];
}

/** A post still earning in its fourth week, announced once by an evergreen alert rule. */
export interface EvergreenAlertView extends ViewBase {
  kind: "evergreenAlert";
  post: {
    handle: string;
    platform: string;
    externalId: string;
    url: string | null;
    publishedAt: string;
    campaign: string | null;
  };
  week1Engagements: number;
  week4Engagements: number;
  /** Week 4 as a share of week 1. */
  week4VsWeek1: number;
}

/** A creator whose recent week-2 retention fell below a share of their own baseline. */
export interface CreatorRetentionAlertView extends ViewBase {
  kind: "creatorRetentionAlert";
  creator: { handle: string };
  /** The share of the baseline the rule alerts below (0.5 = half). */
  threshold: number;
  current: CohortStats;
  baseline: CohortStats;
}

/** A post collected from its platform by its link, and where its collection stands. */
export interface TrackedRow {
  /** "instagram", "tiktok" or "youtube". */
  platform: string;
  url: string;
  /** Known once collected (or from the link). */
  handle: string | null;
  campaign: string | null;
  snapshots: number;
  lastCollectedAt: string | null;
  /** Null once stopped. */
  nextCollectionAt: string | null;
  /** Why it stopped ("deleted or private on YouTube", "finished: 60 days collected"); null while active. */
  stopped: string | null;
  /** Why the last try failed, while it waits to try again ("YouTube answered 429."). */
  lastError: string | null;
}

/** `tracked`: the workspace's tracked posts (of one campaign), newest first. */
export interface TrackedView extends ViewBase {
  kind: "tracked";
  campaign: string | null;
  posts: TrackedRow[];
}

/** Something the workspace should fix or know, on its home screen. */
export type HomeProblem =
  | { kind: "stopped"; channel: ChannelRef; reason: string }
  | { kind: "unavailable"; part: "digest" | "alerts" | "subscriptions" | "connections" }
  | CredentialRefusedProblem
  | CredentialMissingProblem;

/** A platform refused a stored key or token: collection from it waits until it is replaced. */
export interface CredentialRefusedProblem {
  kind: "credentialRefused";
  platform: "instagram" | "tiktok" | "youtube";
  /** Null: the workspace's own credential; else the creator's handle (no "@"). */
  subject: string | null;
  problem: string;
  /** When the platform first refused it (ISO 8601). */
  since: string;
  /** The command line that replaces it. */
  fix: string;
  workspace: WorkspaceInfo;
}

/** Tracked posts of a platform wait for a credential that was never connected. */
export interface CredentialMissingProblem {
  kind: "credentialMissing";
  platform: "instagram" | "tiktok" | "youtube";
  /** TikTok: the creators without a token; empty for the workspace's own credential. */
  creators: string[];
  posts: number;
  fix: string;
}

/** A workspace's home screen (Slack's App Home): this week, alerts, subscriptions, problems. */
export interface HomeView {
  kind: "home";
  digest: WeeklyDigestView | null;
  alerts: LongevityAlertsView | null;
  subscriptions: SubscriptionRow[];
  problems: HomeProblem[];
}

export type ViewModel =
  | CreatorProfileView
  | CampaignReportView
  | CompareTiersView
  | TopView
  | WeeklyDigestView
  | LongevityAlertsView
  | NotFoundView
  | HelpView
  | SubscriptionsView
  | EvergreenAlertView
  | CreatorRetentionAlertView
  | TrackedView
  | MessageView;
