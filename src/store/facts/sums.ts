import { createHash } from "node:crypto";
import { Prisma } from "../../generated/prisma/client.ts";
import { COUNTERS, type FactSums, type PooledSums, type TierBoundaries } from "../../metrics/types.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { engagementsGivenSql, engagementsSql } from "./columns.ts";
import { EVERGREEN_SQL } from "./postFactsQuery.ts";
import { type PostScope, tierCase } from "./scope.ts";
import { factsCtes, storedFactsCtes } from "./stored.ts";
import { queryStoredFactsFirst } from "./storedFirst.ts";

/** What posts are grouped by in `queryFactSums`. */
export type Grouping = "none" | "creator" | "campaign" | "tier" | "publishWeek";

export interface GroupedPooledSums extends PooledSums {
  /** creator id, campaign id (null: no campaign), tier name, publish week (YYYY-MM-DD, Monday, UTC), or null for "none". */
  key: number | string | null;
}

export interface GroupedFactSums extends GroupedPooledSums, FactSums {
  /** Distinct creators behind the posts. */
  creators: number;
}

const ENGAGED = engagementsGivenSql("facts");
const SAVES_OR_SHARES = Prisma.sql`coalesce(saves, shares) IS NOT NULL`;

/**
 * PooledSums but the number of posts, each under its own camelCase name, as sums over `facts`
 * rows. A counter a post does not give is null there, so sum() and count() leave it out.
 */
const SUMS_BUT_POSTS = Prisma.sql`
  coalesce(sum(fee), 0) AS fee,
  count(observed_age)::int AS "observedPosts",
  json_build_object(${Prisma.join(COUNTERS.map((counter) => Prisma.raw(`'${counter}', coalesce(sum(${counter}), 0)`)))}) AS latest,
  json_build_object(${Prisma.join(COUNTERS.map((counter) => Prisma.raw(`'${counter}', count(${counter})`)))}) AS "givenPosts",
  count(*) FILTER (WHERE ${ENGAGED})::int AS "engagedPosts",
  coalesce(sum(fee) FILTER (WHERE ${ENGAGED}), 0) AS "engagedFee",
  coalesce(sum(followers) FILTER (WHERE ${ENGAGED}), 0) AS "engagedFollowers",
  coalesce(sum(fee) FILTER (WHERE clicks IS NOT NULL), 0) AS "clicksFee",
  coalesce(sum(fee) FILTER (WHERE conversions IS NOT NULL), 0) AS "conversionsFee",
  coalesce(sum(fee) FILTER (WHERE revenue IS NOT NULL), 0) AS "revenueFee",
  coalesce(sum(clicks) FILTER (WHERE impressions IS NOT NULL), 0) AS "ctrClicks",
  coalesce(sum(impressions) FILTER (WHERE clicks IS NOT NULL), 0) AS "ctrImpressions",
  coalesce(sum(${engagementsSql("facts")}) FILTER (WHERE ${ENGAGED} AND reach IS NOT NULL), 0) AS "reachEngagements",
  coalesce(sum(reach) FILTER (WHERE ${ENGAGED}), 0) AS "reachOfEngaged",
  coalesce(sum(coalesce(saves, 0) + coalesce(shares, 0)) FILTER (WHERE ${SAVES_OR_SHARES} AND reach IS NOT NULL), 0) AS "saveShareActions",
  coalesce(sum(reach) FILTER (WHERE ${SAVES_OR_SHARES}), 0) AS "saveShareReach",
  count(clicks3)::int AS "frontLoadingPosts",
  coalesce(sum(clicks3), 0) AS "clicksAt3",
  coalesce(sum(clicks) FILTER (WHERE clicks3 IS NOT NULL), 0) AS "frontLoadingClicksLatest",
  count(*) FILTER (WHERE e14 IS NOT NULL AND e7 > 0)::int AS "week2Posts",
  coalesce(sum(e7) FILTER (WHERE e14 IS NOT NULL AND e7 > 0), 0) AS "week2E7",
  coalesce(sum(e14) FILTER (WHERE e14 IS NOT NULL AND e7 > 0), 0) AS "week2E14",
  count(*) FILTER (WHERE e28 > 0)::int AS "longevityPosts",
  coalesce(sum(e7) FILTER (WHERE e28 > 0), 0) AS "longevityE7",
  coalesce(sum(e28) FILTER (WHERE e28 > 0), 0) AS "longevityE28",
  count(e28)::int AS "sustainedPosts",
  coalesce(sum(e28 - e7), 0) AS "sustainedEngagements",
  coalesce(sum(fee) FILTER (WHERE e28 IS NOT NULL), 0) AS "sustainedFee",
  count(*) FILTER (WHERE ${EVERGREEN_SQL})::int AS "evergreenPosts",
  count(half_life)::int AS "halfLifePosts"`;

/** PooledSums over `facts` rows: plain sums, which one pass over unsorted rows computes. */
export const POOLED_SUMS_SELECT = Prisma.sql`
  count(*)::int AS posts,${SUMS_BUT_POSTS}`;

/**
 * FactSums and the distinct creators over `facts` rows (the median and the distinct count need
 * the rows sorted). Its text is the one stored creator sums were made with (SUMS_SHAPE): keep
 * the order of its parts.
 */
export const SUMS_SELECT = Prisma.sql`
  count(*)::int AS posts,
  count(DISTINCT creator_id)::int AS creators,${SUMS_BUT_POSTS},
  percentile_cont(0.5) WITHIN GROUP (ORDER BY half_life) AS "medianHalfLifeDays"`;

/** Which FactSums stored rows hold: rows made by a version of SUMS_SELECT other than this one are not read. */
export const SUMS_SHAPE = createHash("sha256").update(SUMS_SELECT.sql).digest("hex").slice(0, 16);

export function groupKey(grouping: Grouping, boundaries: TierBoundaries): Prisma.Sql {
  switch (grouping) {
    case "none":
      return Prisma.sql`NULL::int`;
    case "creator":
      return Prisma.sql`creator_id`;
    case "campaign":
      return Prisma.sql`campaign_id`;
    case "tier":
      return tierCase(Prisma.raw("followers"), boundaries);
    case "publishWeek":
      return Prisma.sql`to_char(date_trunc('week', published_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
  }
}

/** Pooled sums per group over the posts in scope, as of `now`. */
export async function queryFactSums(
  db: SqlRunner,
  workspaceId: number,
  now: Date,
  grouping: Grouping,
  scope: PostScope & { tierBoundaries: TierBoundaries },
): Promise<GroupedFactSums[]> {
  return queryStoredFactsFirst<GroupedFactSums>(
    db,
    now,
    { stored: storedFactsCtes(workspaceId, now, scope), everything: factsCtes(workspaceId, now, scope) },
    Prisma.sql`SELECT ${groupKey(grouping, scope.tierBoundaries)} AS key, ${SUMS_SELECT} FROM facts GROUP BY 1`,
  );
}
