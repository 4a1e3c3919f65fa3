import type { Counters, FactSums, PostFacts, TierBoundaries } from "../metrics/types.ts";
import type { Db } from "./db.ts";

/**
 * The metric contract (src/metrics) computed in SQL, so that aggregation runs in the database:
 * one row of PostFacts per post, then grouped sums. Tests hold this against the pure functions.
 *
 * Parameters shared by every query built here: $1 workspace id, $2 `now`.
 */

/** Which posts a query stands on, besides the workspace and `published_at <= now`. */
export interface PostScope {
  creatorIds?: number[];
  campaignId?: number;
  publishedFrom?: Date;
  publishedBefore?: Date;
  tier?: string;
  tierBoundaries?: TierBoundaries;
}

/** PRODUCT.md's evergreen rule over a `facts` row (and E(28) > 0: no engagement is not evergreen). */
const EVERGREEN_SQL = "e28 > 0 AND e28 - e21 >= 0.25 * e7";

export const ENGAGEMENTS_SQL = "(m.likes + m.comments + m.shares + m.saves)::float8";

function tierCase(followers: string, boundariesArray: string): string {
  const boundaries = `(${boundariesArray})`;
  return `CASE WHEN ${followers} < ${boundaries}[1] THEN 'nano'
    WHEN ${followers} <= ${boundaries}[2] THEN 'micro'
    WHEN ${followers} < ${boundaries}[3] THEN 'mid'
    WHEN ${followers} < ${boundaries}[4] THEN 'macro'
    ELSE 'mega' END`;
}

/** Builds the scoped-posts filter, appending its parameters after $1/$2. */
function scopeFilter(scope: PostScope, params: unknown[]): string {
  const conditions: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (scope.creatorIds) conditions.push(`p.creator_id = ANY(${param(scope.creatorIds)}::int[])`);
  if (scope.campaignId !== undefined) conditions.push(`p.campaign_id = ${param(scope.campaignId)}`);
  if (scope.publishedFrom) conditions.push(`p.published_at >= ${param(scope.publishedFrom)}`);
  if (scope.publishedBefore) conditions.push(`p.published_at < ${param(scope.publishedBefore)}`);
  if (scope.tier) {
    const boundaries = param(scope.tierBoundaries);
    conditions.push(`${tierCase("c.followers", `${boundaries}::int[]`)} = ${param(scope.tier)}`);
  }
  return conditions.map((condition) => ` AND ${condition}`).join("");
}

/** CTE `scoped`: the posts in scope, published at or before now. */
function scopedPostsCte(scope: PostScope, params: unknown[]): string {
  return `scoped AS (
  SELECT p.id, p.creator_id, p.campaign_id, p.published_at, p.fee::float8 AS fee, c.followers::float8 AS followers
  FROM post p JOIN creator c ON c.id = p.creator_id
  WHERE p.workspace_id = $1 AND p.published_at <= $2${scopeFilter(scope, params)}
)`;
}

/**
 * A subquery, lateral to a scoped post `s`, giving E(a) and clicks(a) at the age `age` (days):
 * linear between the snapshots around it (from (0, 0) before the first); null past the last one.
 * Everything is lateral to the post, so the work grows with the posts in scope, whatever the
 * planner's estimates.
 */
function interpolatedAt(age: string): string {
  const around = (comparison: string, order: string) => `
    SELECT extract(epoch FROM m.captured_at - s.published_at)::float8 / 86400 AS age, ${ENGAGEMENTS_SQL} AS e,
      m.clicks::float8 AS clicks
    FROM metric_snapshot m
    WHERE m.post_id = s.id AND m.captured_at BETWEEN s.published_at AND $2
      AND m.captured_at ${comparison} s.published_at + ${age} * interval '1 day'
    ORDER BY m.captured_at ${order} LIMIT 1`;
  const between = (column: "e" | "clicks") => `CASE WHEN nx.age IS NULL THEN NULL
      WHEN nx.age = coalesce(pv.age, 0) THEN nx.${column}
      ELSE coalesce(pv.${column}, 0) + (nx.${column} - coalesce(pv.${column}, 0)) * (${age} - coalesce(pv.age, 0)) / (nx.age - coalesce(pv.age, 0))
    END`;
  return `SELECT ${between("e")} AS e, ${between("clicks")} AS clicks
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (${around("<=", "DESC")}) pv ON true
  LEFT JOIN LATERAL (${around(">=", "ASC")}) nx ON true`;
}

/**
 * CTEs `scoped` (the posts) and `facts` (one PostFacts row per post, plus its ids).
 */
function factsCtes(scope: PostScope, params: unknown[]): string {
  return `
${scopedPostsCte(scope, params)},
facts AS (
  SELECT s.id, s.creator_id, s.campaign_id, s.published_at, s.fee, s.followers,
    l.observed_age, l.impressions, l.reach, l.views, l.likes, l.comments, l.shares, l.saves, l.clicks,
    l.redemptions, l.conversions, l.revenue,
    cv.clicks3, cv.e7, cv.e14, cv.e21, cv.e28, hl.half_life
  FROM scoped s
  LEFT JOIN LATERAL (
    SELECT extract(epoch FROM m.captured_at - s.published_at)::float8 / 86400 AS observed_age,
      m.impressions::float8 AS impressions, m.reach::float8 AS reach, m.views::float8 AS views,
      m.likes::float8 AS likes, m.comments::float8 AS comments, m.shares::float8 AS shares,
      m.saves::float8 AS saves, m.clicks::float8 AS clicks, m.redemptions::float8 AS redemptions,
      m.conversions::float8 AS conversions, m.revenue::float8 AS revenue
    FROM metric_snapshot m
    WHERE m.post_id = s.id AND m.captured_at BETWEEN s.published_at AND $2
    ORDER BY m.captured_at DESC LIMIT 1
  ) l ON true
  CROSS JOIN LATERAL (
    SELECT
      max(v.clicks) FILTER (WHERE a.age = 3) AS clicks3,
      max(v.e) FILTER (WHERE a.age = 7) AS e7,
      max(v.e) FILTER (WHERE a.age = 14) AS e14,
      max(v.e) FILTER (WHERE a.age = 21) AS e21,
      max(v.e) FILTER (WHERE a.age = 28) AS e28
    FROM (VALUES (3::float8), (7), (14), (21), (28)) AS a(age)
    CROSS JOIN LATERAL (${interpolatedAt("a.age")}) v
  ) cv
  LEFT JOIN LATERAL (
    SELECT CASE WHEN hit.e = hit.prev_e THEN hit.prev_age
      ELSE hit.prev_age + (0.5 * cv.e28 - hit.prev_e) * (hit.age - hit.prev_age) / (hit.e - hit.prev_e) END AS half_life
    FROM (
      SELECT pts.age, pts.e,
        coalesce(lag(pts.age) OVER (ORDER BY pts.age), 0) AS prev_age,
        coalesce(lag(pts.e) OVER (ORDER BY pts.age), 0) AS prev_e
      FROM (
        SELECT extract(epoch FROM m.captured_at - s.published_at)::float8 / 86400 AS age, ${ENGAGEMENTS_SQL} AS e
        FROM metric_snapshot m
        WHERE m.post_id = s.id AND m.captured_at BETWEEN s.published_at AND $2
          AND m.captured_at < s.published_at + interval '28 days'
        UNION ALL SELECT 28, cv.e28
      ) pts
    ) hit
    WHERE cv.e28 > 0 AND hit.e >= 0.5 * cv.e28
    ORDER BY hit.age LIMIT 1
  ) hl ON true
)`;
}

export interface PostFactsRow extends PostFacts {
  postId: number;
  creatorId: number;
  campaignId: number | null;
  publishedAt: Date;
}

interface RawFactsRow {
  id: number;
  creator_id: number;
  campaign_id: number | null;
  published_at: Date;
  fee: number;
  followers: number;
  observed_age: number | null;
  impressions: number | null;
  reach: number | null;
  views: number | null;
  likes: number | null;
  comments: number | null;
  shares: number | null;
  saves: number | null;
  clicks: number | null;
  redemptions: number | null;
  conversions: number | null;
  revenue: number | null;
  clicks3: number | null;
  e7: number | null;
  e14: number | null;
  e21: number | null;
  e28: number | null;
  half_life: number | null;
}

function latestCounters(row: RawFactsRow): Counters | null {
  if (row.observed_age === null) return null;
  return {
    impressions: row.impressions ?? 0,
    reach: row.reach ?? 0,
    views: row.views ?? 0,
    likes: row.likes ?? 0,
    comments: row.comments ?? 0,
    shares: row.shares ?? 0,
    saves: row.saves ?? 0,
    clicks: row.clicks ?? 0,
    redemptions: row.redemptions ?? 0,
    conversions: row.conversions ?? 0,
    revenue: row.revenue ?? 0,
  };
}

/** One PostFacts row per post in scope, as of `now`; with `evergreenOnly`, just the evergreen ones. */
export async function queryPostFacts(
  db: Db,
  workspaceId: number,
  now: Date,
  scope: PostScope = {},
  options: { evergreenOnly?: boolean } = {},
): Promise<PostFactsRow[]> {
  const params: unknown[] = [workspaceId, now];
  const ctes = factsCtes(scope, params);
  const where = options.evergreenOnly ? `WHERE ${EVERGREEN_SQL}` : "";
  const rows = await db.$queryRawUnsafe<RawFactsRow[]>(
    `WITH ${ctes} SELECT * FROM facts ${where} ORDER BY id`,
    ...params,
  );
  return rows.map((row) => ({
    postId: row.id,
    creatorId: row.creator_id,
    campaignId: row.campaign_id,
    publishedAt: row.published_at,
    fee: row.fee,
    followers: row.followers,
    observedAgeDays: row.observed_age,
    latest: latestCounters(row),
    clicksAt3: row.clicks3,
    engagementsAt7: row.e7,
    engagementsAt14: row.e14,
    engagementsAt21: row.e21,
    engagementsAt28: row.e28,
    halfLifeDays: row.half_life,
  }));
}

/** What posts are grouped by in `queryFactSums`. */
export type Grouping = "none" | "creator" | "campaign" | "tier" | "publishWeek";

export interface GroupedFactSums extends FactSums {
  /** creator id, campaign id (null: no campaign), tier name, publish week (YYYY-MM-DD, Monday, UTC), or null for "none". */
  key: number | string | null;
  /** Distinct creators behind the posts. */
  creators: number;
}

const SUMS_SELECT = `
  count(*)::int AS posts,
  count(DISTINCT creator_id)::int AS creators,
  coalesce(sum(fee), 0) AS fee,
  count(observed_age)::int AS observed_posts,
  coalesce(sum(impressions), 0) AS impressions, coalesce(sum(reach), 0) AS reach,
  coalesce(sum(views), 0) AS views, coalesce(sum(likes), 0) AS likes,
  coalesce(sum(comments), 0) AS comments, coalesce(sum(shares), 0) AS shares,
  coalesce(sum(saves), 0) AS saves, coalesce(sum(clicks), 0) AS clicks,
  coalesce(sum(redemptions), 0) AS redemptions, coalesce(sum(conversions), 0) AS conversions,
  coalesce(sum(revenue), 0) AS revenue,
  coalesce(sum(fee) FILTER (WHERE observed_age IS NOT NULL), 0) AS observed_fee,
  coalesce(sum(followers) FILTER (WHERE observed_age IS NOT NULL), 0) AS observed_followers,
  count(clicks3)::int AS front_loading_posts,
  coalesce(sum(clicks3), 0) AS clicks_at3,
  coalesce(sum(clicks) FILTER (WHERE clicks3 IS NOT NULL), 0) AS front_loading_clicks_latest,
  count(*) FILTER (WHERE e14 IS NOT NULL AND e7 > 0)::int AS week2_posts,
  coalesce(sum(e7) FILTER (WHERE e14 IS NOT NULL AND e7 > 0), 0) AS week2_e7,
  coalesce(sum(e14) FILTER (WHERE e14 IS NOT NULL AND e7 > 0), 0) AS week2_e14,
  count(*) FILTER (WHERE e28 > 0)::int AS longevity_posts,
  coalesce(sum(e7) FILTER (WHERE e28 > 0), 0) AS longevity_e7,
  coalesce(sum(e28) FILTER (WHERE e28 > 0), 0) AS longevity_e28,
  count(e28)::int AS sustained_posts,
  coalesce(sum(e28 - e7), 0) AS sustained_engagements,
  coalesce(sum(fee) FILTER (WHERE e28 IS NOT NULL), 0) AS sustained_fee,
  count(*) FILTER (WHERE ${EVERGREEN_SQL})::int AS evergreen_posts,
  count(half_life)::int AS half_life_posts,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY half_life) AS median_half_life`;

function groupKey(grouping: Grouping, boundariesParam: string): string {
  switch (grouping) {
    case "none":
      return "NULL::int";
    case "creator":
      return "creator_id";
    case "campaign":
      return "campaign_id";
    case "tier":
      return tierCase("followers", `${boundariesParam}::int[]`);
    case "publishWeek":
      return "to_char(date_trunc('week', published_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')";
  }
}

interface RawSumsRow {
  key: number | string | null;
  posts: number;
  creators: number;
  fee: number;
  observed_posts: number;
  impressions: number;
  reach: number;
  views: number;
  likes: number;
  comments: number;
  shares: number;
  saves: number;
  clicks: number;
  redemptions: number;
  conversions: number;
  revenue: number;
  observed_fee: number;
  observed_followers: number;
  front_loading_posts: number;
  clicks_at3: number;
  front_loading_clicks_latest: number;
  week2_posts: number;
  week2_e7: number;
  week2_e14: number;
  longevity_posts: number;
  longevity_e7: number;
  longevity_e28: number;
  sustained_posts: number;
  sustained_engagements: number;
  sustained_fee: number;
  evergreen_posts: number;
  half_life_posts: number;
  median_half_life: number | null;
}

function toFactSums(row: RawSumsRow): GroupedFactSums {
  return {
    key: row.key,
    creators: row.creators,
    posts: row.posts,
    fee: row.fee,
    observedPosts: row.observed_posts,
    latest: {
      impressions: row.impressions,
      reach: row.reach,
      views: row.views,
      likes: row.likes,
      comments: row.comments,
      shares: row.shares,
      saves: row.saves,
      clicks: row.clicks,
      redemptions: row.redemptions,
      conversions: row.conversions,
      revenue: row.revenue,
    },
    observedFee: row.observed_fee,
    observedFollowers: row.observed_followers,
    frontLoadingPosts: row.front_loading_posts,
    clicksAt3: row.clicks_at3,
    frontLoadingClicksLatest: row.front_loading_clicks_latest,
    week2Posts: row.week2_posts,
    week2E7: row.week2_e7,
    week2E14: row.week2_e14,
    longevityPosts: row.longevity_posts,
    longevityE7: row.longevity_e7,
    longevityE28: row.longevity_e28,
    sustainedPosts: row.sustained_posts,
    sustainedEngagements: row.sustained_engagements,
    sustainedFee: row.sustained_fee,
    evergreenPosts: row.evergreen_posts,
    halfLifePosts: row.half_life_posts,
    medianHalfLifeDays: row.median_half_life,
  };
}

/** Pooled sums per group over the posts in scope, as of `now`. */
export async function queryFactSums(
  db: Db,
  workspaceId: number,
  now: Date,
  grouping: Grouping,
  scope: PostScope & { tierBoundaries: TierBoundaries },
): Promise<GroupedFactSums[]> {
  const params: unknown[] = [workspaceId, now];
  const ctes = factsCtes(scope, params);
  const key =
    grouping === "tier"
      ? groupKey(grouping, `$${params.push(scope.tierBoundaries)}`)
      : groupKey(grouping, "");
  const sql = `WITH ${ctes} SELECT ${key} AS key, ${SUMS_SELECT} FROM facts GROUP BY 1`;
  const rows = await db.$queryRawUnsafe<RawSumsRow[]>(sql, ...params);
  return rows.map(toFactSums);
}

export interface CurvePoint {
  day: number;
  /** Posts observed at least this many days. */
  posts: number;
  /** Mean cumulative engagements and clicks per observed post. */
  engagements: number | null;
  clicks: number | null;
}

/** Day-by-day cumulative engagements and clicks (0..days since publishing), averaged over posts. */
export async function queryEngagementCurve(
  db: Db,
  workspaceId: number,
  now: Date,
  scope: PostScope,
  days = 28,
): Promise<CurvePoint[]> {
  const params: unknown[] = [workspaceId, now, days];
  const sql = `WITH ${scopedPostsCte(scope, params)},
at_day AS (
  SELECT d.day, v.e, v.clicks
  FROM scoped s
  CROSS JOIN generate_series(0, $3::int) AS d(day)
  CROSS JOIN LATERAL (${interpolatedAt("d.day")}) v
)
SELECT d.day::int AS day, count(a.e)::int AS posts, avg(a.e) AS engagements, avg(a.clicks) AS clicks
FROM generate_series(0, $3::int) AS d(day) LEFT JOIN at_day a ON a.day = d.day
GROUP BY d.day ORDER BY d.day`;
  return db.$queryRawUnsafe<CurvePoint[]>(sql, ...params);
}

export interface CreatorWeekActivity {
  creatorId: number;
  publishedThisWeek: number;
  publishedLastWeek: number;
  clicksThisWeek: number;
  clicksLastWeek: number;
  engagementsThisWeek: number;
  engagementsLastWeek: number;
  /** Engagements earned by posts past their first week, this week and the week before. */
  sustainedThisWeek: number;
  sustainedLastWeek: number;
}

/**
 * What each creator's posts gained in the 7 days before `now` and the 7 before that, reading
 * cumulative counters as of each moment (the last snapshot at or before it).
 */
export async function queryWeeklyActivity(
  db: Db,
  workspaceId: number,
  now: Date,
  scope: PostScope,
): Promise<CreatorWeekActivity[]> {
  const params: unknown[] = [workspaceId, now];
  const sql = `WITH ${scopedPostsCte(scope, params)},
checkpoints AS (
  SELECT s.id, s.creator_id, s.published_at, cp.name, coalesce(v.e, 0) AS e, coalesce(v.clicks, 0) AS clicks
  FROM scoped s
  CROSS JOIN LATERAL (VALUES
    ('now', $2::timestamptz),
    ('week_ago', $2::timestamptz - interval '7 days'),
    ('two_weeks_ago', $2::timestamptz - interval '14 days'),
    ('sustained_from', greatest($2::timestamptz - interval '7 days', s.published_at + interval '7 days')),
    ('prev_sustained_from', greatest($2::timestamptz - interval '14 days', s.published_at + interval '7 days'))
  ) AS cp(name, at)
  LEFT JOIN LATERAL (
    SELECT ${ENGAGEMENTS_SQL} AS e, m.clicks::float8 AS clicks
    FROM metric_snapshot m
    WHERE m.post_id = s.id AND m.captured_at BETWEEN s.published_at AND cp.at
    ORDER BY m.captured_at DESC LIMIT 1
  ) v ON true
),
per_post AS (
  SELECT id, creator_id, published_at,
    max(e) FILTER (WHERE name = 'now') AS e0, max(clicks) FILTER (WHERE name = 'now') AS c0,
    max(e) FILTER (WHERE name = 'week_ago') AS e1, max(clicks) FILTER (WHERE name = 'week_ago') AS c1,
    max(e) FILTER (WHERE name = 'two_weeks_ago') AS e2, max(clicks) FILTER (WHERE name = 'two_weeks_ago') AS c2,
    max(e) FILTER (WHERE name = 'sustained_from') AS es1,
    max(e) FILTER (WHERE name = 'prev_sustained_from') AS es2
  FROM checkpoints GROUP BY id, creator_id, published_at
)
SELECT creator_id AS "creatorId",
  count(*) FILTER (WHERE published_at > $2::timestamptz - interval '7 days')::int AS "publishedThisWeek",
  count(*) FILTER (WHERE published_at > $2::timestamptz - interval '14 days'
    AND published_at <= $2::timestamptz - interval '7 days')::int AS "publishedLastWeek",
  sum(c0 - c1) AS "clicksThisWeek", sum(c1 - c2) AS "clicksLastWeek",
  sum(e0 - e1) AS "engagementsThisWeek", sum(e1 - e2) AS "engagementsLastWeek",
  coalesce(sum(e0 - es1) FILTER (WHERE published_at + interval '7 days' < $2::timestamptz), 0) AS "sustainedThisWeek",
  coalesce(sum(e1 - es2) FILTER (WHERE published_at + interval '14 days' < $2::timestamptz), 0) AS "sustainedLastWeek"
FROM per_post GROUP BY creator_id`;
  return db.$queryRawUnsafe<CreatorWeekActivity[]>(sql, ...params);
}
