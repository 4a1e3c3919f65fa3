import type { InsightContext } from "../src/insights/context.ts";
import type { TierMedians } from "../src/insights/viewModels.ts";
import type { DirectMetrics, SustainedMetrics } from "../src/metrics/types.ts";
import {
  CURVE_CTES,
  emvRateArray,
  FACTS_CTE,
  POOLED_SUMS,
  POST_FACT_COLUMNS,
  pooledRatios,
  tierSql,
} from "./handWrittenSql.ts";

/** What creatorProfile reports for the creator and its tier, by the hand-written query. */
export interface CreatorNumbers {
  posts: number;
  direct: DirectMetrics;
  sustained: SustainedMetrics;
  tierMedians: TierMedians;
}

/**
 * One statement: every post of the creator's tier, pooled per creator, gives the creator's own row
 * and the tier's medians at once. $3 handle, $4 platform, $5 tier boundaries, $6 EMV rates.
 */
const CREATOR_SQL = `
WITH creators AS (
  SELECT id, handle, platform, followers::float8 AS followers, ${tierSql("followers", "$5::int[]")} AS tier
  FROM creator WHERE workspace_id = $1
),
target AS (SELECT id, tier FROM creators WHERE handle = $3 AND platform = $4),
posts AS (
  SELECT p.id, p.creator_id, p.published_at, p.fee::float8 AS fee, c.followers
  FROM creators c JOIN post p ON p.creator_id = c.id
  WHERE c.tier = (SELECT tier FROM target) AND p.published_at <= $2
),
${CURVE_CTES},
per_post AS (SELECT post_id, ${POST_FACT_COLUMNS} FROM curve GROUP BY post_id),
${FACTS_CTE},
per_creator AS (SELECT creator_id, ${POOLED_SUMS} FROM facts GROUP BY creator_id),
pooled AS (SELECT *, ${pooledRatios("$6::float8[]")} FROM per_creator)
SELECT json_build_object(
  'posts', me.posts,
  'direct', json_build_object(
    'clicks', me.clicks, 'impressions', me.impressions, 'ctr', me.ctr, 'redemptions', me.redemptions,
    'conversions', me.conversions, 'revenue', me.revenue, 'fee', me.fee, 'cpc', me.cpc, 'cpa', me.cpa,
    'roas', me.roas, 'clickFrontLoading', me.click_front_loading),
  'sustained', json_build_object(
    'engagements', me.engagements, 'sustainedEngagements', me.sustained,
    'week2Retention', me.week2_retention, 'longevity', me.longevity, 'halfLifeDays', me.half_life,
    'evergreenPosts', me.evergreen_posts, 'engagementRateByFollowers', me.engagement_rate_by_followers,
    'engagementRateByReach', me.engagement_rate_by_reach, 'saveShareRate', me.save_share_rate,
    'cpe', me.cpe, 'costPerSustainedEngagement', me.cost_per_sustained_engagement, 'emv', me.emv),
  'tierMedians', (
    SELECT json_build_object(
      'tier', target.tier, 'creators', count(*),
      'week2Retention', percentile_cont(0.5) WITHIN GROUP (ORDER BY week2_retention),
      'longevity', percentile_cont(0.5) WITHIN GROUP (ORDER BY longevity),
      'halfLifeDays', percentile_cont(0.5) WITHIN GROUP (ORDER BY half_life),
      'ctr', percentile_cont(0.5) WITHIN GROUP (ORDER BY ctr),
      'cpe', percentile_cont(0.5) WITHIN GROUP (ORDER BY cpe),
      'costPerSustainedEngagement', percentile_cont(0.5) WITHIN GROUP (ORDER BY cost_per_sustained_engagement),
      'engagementRateByFollowers', percentile_cont(0.5) WITHIN GROUP (ORDER BY engagement_rate_by_followers))
    FROM pooled)
) AS numbers
FROM target JOIN pooled me ON me.creator_id = target.id`;

export async function handWrittenCreator(
  ctx: InsightContext,
  creator: { handle: string; platform: string },
  now: Date,
): Promise<CreatorNumbers> {
  const [row] = await ctx.prisma.$queryRawUnsafe<{ numbers: CreatorNumbers }[]>(
    CREATOR_SQL,
    ctx.workspace.id,
    now,
    creator.handle,
    creator.platform,
    ctx.workspace.tierBoundaries,
    emvRateArray(ctx.workspace.emvRates),
  );
  if (!row) throw new Error(`The hand-written creator query found no posts of @${creator.handle}`);
  return row.numbers;
}
