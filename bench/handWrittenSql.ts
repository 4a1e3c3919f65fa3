/**
 * The pieces the hand-written queries share, written from PRODUCT.md's definitions (README,
 * "What Longtail measures") and not from src/store/postFacts.ts: one pass over metric_snapshot
 * with window functions instead of a lateral lookup per post and age.
 *
 * Every query that uses them binds $1 workspace id and $2 now, and defines a CTE `posts`
 * (id, creator_id, published_at, fee float8, followers float8) of the posts to read.
 */
import { COUNTERS, type EmvRates } from "../src/metrics/types.ts";

/** The tier of a follower count, with `boundaries` an int[] expression: nano < b1 ≤ micro ≤ b2 < mid < b3 ≤ macro < b4 ≤ mega. */
export function tierSql(followers: string, boundariesArray: string): string {
  const boundaries = `(${boundariesArray})`;
  return `CASE WHEN ${followers} < ${boundaries}[1] THEN 'nano' WHEN ${followers} <= ${boundaries}[2] THEN 'micro'
    WHEN ${followers} < ${boundaries}[3] THEN 'mid' WHEN ${followers} < ${boundaries}[4] THEN 'macro' ELSE 'mega' END`;
}

/** The segment holding age `age`: it starts before it and ends at or after it. */
function covers(age: number): string {
  return `prev_age < ${age} AND age >= ${age}`;
}

/** The series (e or clicks) at `age`, on the straight line of a segment that covers it. */
function interpolated(series: "e" | "clicks", age: number): string {
  return `prev_${series} + (${series} - prev_${series}) * (${age} - prev_age) / (age - prev_age)`;
}

function valueAt(series: "e" | "clicks", age: number): string {
  return `max(${interpolated(series, age)}) FILTER (WHERE ${covers(age)})`;
}

/**
 * CTEs `snapshots` (every snapshot between publishing and now, at its age in days: only what the
 * curve needs, so the sort and the windows stay narrow), `segments` (each snapshot with the one
 * before it, from (0, 0): the piece of the curve that ends there) and `curve` (segments with
 * E(28) beside them, for the half-life).
 */
export const CURVE_CTES = `
snapshots AS (
  SELECT m.post_id, p.published_at, m.captured_at,
    extract(epoch FROM m.captured_at - p.published_at)::float8 / 86400 AS age,
    (m.likes + m.comments + m.shares + m.saves)::float8 AS e, m.clicks::float8 AS clicks
  FROM posts p JOIN metric_snapshot m ON m.post_id = p.id AND m.captured_at BETWEEN p.published_at AND $2
),
segments AS (
  SELECT s.*,
    coalesce(lag(s.age) OVER w, 0) AS prev_age,
    coalesce(lag(s.e) OVER w, 0) AS prev_e,
    coalesce(lag(s.clicks) OVER w, 0) AS prev_clicks,
    lead(s.captured_at) OVER w AS next_captured_at
  FROM snapshots s
  WINDOW w AS (PARTITION BY s.post_id ORDER BY s.captured_at)
),
curve AS (
  SELECT sg.*, max(${interpolated("e", 28)}) FILTER (WHERE ${covers(28)}) OVER (PARTITION BY sg.post_id) AS e28
  FROM segments sg
)`;

/** The last segment of a post ends at the latest snapshot; past 28 days it is cut at (28, E(28)). */
const HALF_LIFE_END_AGE = "least(age, 28)";
const HALF_LIFE_END_E = "CASE WHEN age > 28 THEN e28 ELSE e END";

/**
 * Per-post columns over `curve` grouped by post_id: when the latest snapshot was taken, clicks(3),
 * E(7..28) (null past the last snapshot) and the half-life (the first segment reaching ½ E(28),
 * interpolated).
 */
export const POST_FACT_COLUMNS = `
    max(age) AS observed_age, max(captured_at) AS latest_captured_at,
    ${valueAt("clicks", 3)} AS clicks3,
    ${[7, 14, 21].map((age) => `${valueAt("e", age)} AS e${age}`).join(", ")},
    max(e28) AS e28,
    (array_agg(
      CASE WHEN ${HALF_LIFE_END_E} = prev_e THEN prev_age
        ELSE prev_age + (0.5 * e28 - prev_e) * (${HALF_LIFE_END_AGE} - prev_age) / (${HALF_LIFE_END_E} - prev_e) END
      ORDER BY age) FILTER (WHERE prev_age < 28 AND e28 > 0 AND ${HALF_LIFE_END_E} >= 0.5 * e28))[1] AS half_life`;

/**
 * CTE `facts`: every post with its per-post facts (CTE `per_post`, from POST_FACT_COLUMNS) and the
 * counters of its latest snapshot; a post without snapshots has nulls.
 */
export const FACTS_CTE = `
facts AS (
  SELECT p.*, f.*, ${COUNTERS.map((counter) => `latest.${counter}::float8 AS ${counter}`).join(", ")}
  FROM posts p
  LEFT JOIN per_post f ON f.post_id = p.id
  LEFT JOIN metric_snapshot latest ON latest.post_id = f.post_id AND latest.captured_at = f.latest_captured_at
)`;

/** A post is evergreen when week 4 still brings a quarter of week 1 (and it earned anything at all). */
export const EVERGREEN = "e28 > 0 AND e28 - e21 >= 0.25 * e7";

/** Sums over a group of per-post facts (posts LEFT JOIN their facts), each where its metric is defined. */
export const POOLED_SUMS = `
    count(*)::int AS posts,
    sum(fee) AS fee,
    coalesce(sum(fee) FILTER (WHERE observed_age IS NOT NULL), 0) AS observed_fee,
    coalesce(sum(followers) FILTER (WHERE observed_age IS NOT NULL), 0) AS observed_followers,
    ${COUNTERS.map((counter) => `coalesce(sum(${counter}), 0) AS ${counter}`).join(", ")},
    coalesce(sum(likes + comments + shares + saves), 0) AS engagements,
    coalesce(sum(clicks3), 0) AS clicks3,
    coalesce(sum(clicks) FILTER (WHERE clicks3 IS NOT NULL), 0) AS clicks3_latest,
    coalesce(sum(e7) FILTER (WHERE e14 IS NOT NULL AND e7 > 0), 0) AS week2_e7,
    coalesce(sum(e14) FILTER (WHERE e14 IS NOT NULL AND e7 > 0), 0) AS week2_e14,
    coalesce(sum(e7) FILTER (WHERE e28 > 0), 0) AS longevity_e7,
    coalesce(sum(e28) FILTER (WHERE e28 > 0), 0) AS longevity_e28,
    sum(e28 - e7) AS sustained,
    coalesce(sum(fee) FILTER (WHERE e28 IS NOT NULL), 0) AS sustained_fee,
    count(*) FILTER (WHERE ${EVERGREEN})::int AS evergreen_posts,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY half_life) AS half_life`;

/** The workspace's EMV rates as the float8[] `pooledRatios` reads. */
export function emvRateArray(rates: EmvRates): number[] {
  return [
    rates.impressions,
    rates.views,
    rates.likes,
    rates.comments,
    rates.shares,
    rates.saves,
    rates.clicks,
  ];
}

/** Pooled ratios over a row of POOLED_SUMS: Σ numerators / Σ denominators, null over nothing. */
export function pooledRatios(ratesArray: string): string {
  const rates = `(${ratesArray})`;
  return `
    clicks / nullif(impressions, 0) AS ctr,
    observed_fee / nullif(clicks, 0) AS cpc,
    observed_fee / nullif(conversions, 0) AS cpa,
    revenue / nullif(observed_fee, 0) AS roas,
    clicks3 / nullif(clicks3_latest, 0) AS click_front_loading,
    (week2_e14 - week2_e7) / nullif(week2_e7, 0) AS week2_retention,
    (longevity_e28 - longevity_e7) / nullif(longevity_e28, 0) AS longevity,
    engagements / nullif(observed_followers, 0) AS engagement_rate_by_followers,
    engagements / nullif(reach, 0) AS engagement_rate_by_reach,
    (saves + shares) / nullif(reach, 0) AS save_share_rate,
    observed_fee / nullif(engagements, 0) AS cpe,
    sustained_fee / nullif(sustained, 0) AS cost_per_sustained_engagement,
    ${rates}[1] * impressions + ${rates}[2] * views + ${rates}[3] * likes + ${rates}[4] * comments
      + ${rates}[5] * shares + ${rates}[6] * saves + ${rates}[7] * clicks AS emv`;
}
