import type { InsightContext } from "../src/insights/context.ts";
import type { Tier } from "../src/metrics/types.ts";
import {
  CURVE_CTES,
  EVERGREEN,
  emvRateArray,
  FACTS_CTE,
  POOLED_SUMS,
  POST_FACT_COLUMNS,
  pooledRatios,
  tierSql,
} from "./handWrittenSql.ts";

interface WeekNumbers {
  postsPublished: number;
  clicks: number;
  engagements: number;
  sustainedEngagements: number;
}

interface ValuePerFee {
  tier: Tier;
  posts: number;
  fee: number;
  clicksPerFee: number | null;
  sustainedEngagementsPerFee: number | null;
  emvPerFee: number | null;
}

/** What weeklyDigest reports, by the hand-written query. */
export interface DigestNumbers {
  thisWeek: WeekNumbers;
  previousWeek: WeekNumbers;
  topByClicks: { handle: string; tier: Tier; clicks: number; sustainedEngagements: number }[];
  topBySustained: { handle: string; tier: Tier; clicks: number; sustainedEngagements: number }[];
  evergreen: { label: string; week4VsWeek1: number; sustainedEngagements: number }[];
  microVsMacro: { micro: ValuePerFee; macro: ValuePerFee };
  retentionTrend: { week: string; posts: number; week2Retention: number | null }[];
}

/** Cumulative counters as of a moment: the last snapshot at or before it (none yet: 0). */
function asOf(series: "e" | "clicks", moment: string): string {
  return `coalesce(max(${series}) FILTER (WHERE captured_at <= ${moment}
      AND (next_captured_at IS NULL OR next_captured_at > ${moment})), 0)`;
}

const WEEK_AGO = "$2 - interval '7 days'";
const TWO_WEEKS_AGO = "$2 - interval '14 days'";
/** Engagement counts as sustained once the post is a week old. */
const SUSTAINED_FROM = `greatest(${WEEK_AGO}, published_at + interval '7 days')`;
const PREVIOUS_SUSTAINED_FROM = `greatest(${TWO_WEEKS_AGO}, published_at + interval '7 days')`;
/** Value per fee and evergreen posts look at posts this recent; the retention trend at 8 weeks. */
const LOOKBACK = "$2 - interval '90 days'";
const TREND_FROM = "$2 - interval '56 days'";

function topCreatorsBy(column: string): string {
  return `(SELECT coalesce(json_agg(top), '[]') FROM (
      SELECT handle, tier, clicks_this_week AS clicks, sustained_this_week AS "sustainedEngagements"
      FROM creator_week WHERE ${column} > 0 ORDER BY ${column} DESC LIMIT 3) top)`;
}

function weekNumbers(week: "this" | "last"): string {
  return `(SELECT json_build_object(
      'postsPublished', coalesce(sum(published_${week}_week), 0), 'clicks', coalesce(sum(clicks_${week}_week), 0),
      'engagements', coalesce(sum(engagements_${week}_week), 0),
      'sustainedEngagements', coalesce(sum(sustained_${week}_week), 0)) FROM creator_week)`;
}

function valuePerFee(tier: "micro" | "macro"): string {
  return `(SELECT json_build_object('tier', '${tier}', 'posts', coalesce(max(posts), 0), 'fee', coalesce(max(fee), 0),
      'clicksPerFee', max(CASE WHEN cpc > 0 THEN 1 / cpc END),
      'sustainedEngagementsPerFee', max(CASE WHEN cost_per_sustained_engagement > 0 THEN 1 / cost_per_sustained_engagement END),
      'emvPerFee', max(CASE WHEN fee > 0 THEN emv / fee END))
    FROM tier_value WHERE tier = '${tier}')`;
}

/**
 * One statement over every post: the as-of-moment counters give each creator's week, the
 * per-post facts of recent posts give evergreen posts, value per fee and the retention trend.
 * $3 tier boundaries, $4 EMV rates.
 */
const DIGEST_SQL = `
WITH creators AS (
  SELECT id, handle, followers::float8 AS followers, ${tierSql("followers", "$3::int[]")} AS tier
  FROM creator WHERE workspace_id = $1
),
posts AS (
  SELECT p.id, p.creator_id, p.platform, p.external_id, p.published_at, p.fee::float8 AS fee,
    c.followers, c.tier, c.handle
  FROM post p JOIN creators c ON c.id = p.creator_id
  WHERE p.workspace_id = $1 AND p.published_at <= $2
),
${CURVE_CTES},
per_post AS (
  SELECT post_id, ${POST_FACT_COLUMNS},
    ${asOf("e", "$2")} AS e_now, ${asOf("clicks", "$2")} AS clicks_now,
    ${asOf("e", WEEK_AGO)} AS e_week_ago, ${asOf("clicks", WEEK_AGO)} AS clicks_week_ago,
    ${asOf("e", TWO_WEEKS_AGO)} AS e_two_weeks_ago, ${asOf("clicks", TWO_WEEKS_AGO)} AS clicks_two_weeks_ago,
    ${asOf("e", SUSTAINED_FROM)} AS e_sustained_from, ${asOf("e", PREVIOUS_SUSTAINED_FROM)} AS e_previous_sustained_from
  FROM curve GROUP BY post_id
),
${FACTS_CTE},
creator_week AS (
  SELECT handle, tier,
    count(*) FILTER (WHERE published_at > ${WEEK_AGO}) AS published_this_week,
    count(*) FILTER (WHERE published_at > ${TWO_WEEKS_AGO} AND published_at <= ${WEEK_AGO}) AS published_last_week,
    coalesce(sum(clicks_now - clicks_week_ago), 0) AS clicks_this_week,
    coalesce(sum(clicks_week_ago - clicks_two_weeks_ago), 0) AS clicks_last_week,
    coalesce(sum(e_now - e_week_ago), 0) AS engagements_this_week,
    coalesce(sum(e_week_ago - e_two_weeks_ago), 0) AS engagements_last_week,
    coalesce(sum(e_now - e_sustained_from) FILTER (WHERE published_at + interval '7 days' < $2), 0) AS sustained_this_week,
    coalesce(sum(e_week_ago - e_previous_sustained_from) FILTER (WHERE published_at + interval '14 days' < $2), 0)
      AS sustained_last_week
  FROM facts GROUP BY creator_id, handle, tier
),
tier_value AS (
  SELECT *, ${pooledRatios("$4::float8[]")}
  FROM (SELECT tier, ${POOLED_SUMS} FROM facts WHERE published_at >= ${LOOKBACK} GROUP BY tier) sums
)
SELECT json_build_object(
  'thisWeek', ${weekNumbers("this")},
  'previousWeek', ${weekNumbers("last")},
  'topByClicks', ${topCreatorsBy("clicks_this_week")},
  'topBySustained', ${topCreatorsBy("sustained_this_week")},
  'evergreen', (SELECT coalesce(json_agg(best), '[]') FROM (
      SELECT '@' || handle || ' · ' || platform || ' ' || external_id AS label,
        (e28 - e21) / greatest(e7, 1) AS "week4VsWeek1", e28 - e7 AS "sustainedEngagements"
      FROM facts WHERE published_at >= ${LOOKBACK} AND ${EVERGREEN}
      ORDER BY (e28 - e21) / greatest(e7, 1) DESC, post_id LIMIT 5) best),
  'microVsMacro', json_build_object('micro', ${valuePerFee("micro")}, 'macro', ${valuePerFee("macro")}),
  'retentionTrend', (SELECT coalesce(json_agg(trend ORDER BY trend.week), '[]') FROM (
      SELECT to_char(date_trunc('week', published_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week, count(*) AS posts,
        (sum(e14) FILTER (WHERE e14 IS NOT NULL AND e7 > 0) - sum(e7) FILTER (WHERE e14 IS NOT NULL AND e7 > 0))
          / nullif(sum(e7) FILTER (WHERE e14 IS NOT NULL AND e7 > 0), 0) AS "week2Retention"
      FROM facts WHERE published_at >= ${TREND_FROM} GROUP BY 1) trend)
) AS digest`;

export async function handWrittenDigest(ctx: InsightContext, now: Date): Promise<DigestNumbers> {
  const [row] = await ctx.prisma.$queryRawUnsafe<{ digest: DigestNumbers }[]>(
    DIGEST_SQL,
    ctx.workspace.id,
    now,
    ctx.workspace.tierBoundaries,
    emvRateArray(ctx.workspace.emvRates),
  );
  if (!row) throw new Error("The hand-written digest query returned nothing");
  return row.digest;
}
