import { Prisma } from "../../generated/prisma/client.ts";
import { COUNTERS, HORIZON_DAYS } from "../../metrics/types.ts";
import { engagementsGivenSql, engagementsSql } from "./columns.ts";

const AGES = [3, 7, 14, 21, HORIZON_DAYS] as const;

/**
 * The facts of many posts at once, as of their last snapshot: the same contract as
 * `factsOfPost` (compute.ts), in a few passes over all their snapshots instead of one subquery
 * per post, for the import to store. A SELECT of (post_id, last_captured_at, every fact column);
 * the property tests hold its stored rows equal to `factsOfPost` and src/metrics.
 */
export function factsOfPosts(postIds: readonly number[]): Prisma.Sql {
  const latest = Prisma.raw(COUNTERS.map((counter) => `l.${counter}`).join(", "));
  const atAges = AGES.map((age) =>
    Prisma.raw(
      `max(CASE WHEN v.age = ${age} THEN v.e WHEN v.prev_age < ${age} AND ${age} < v.age ` +
        `THEN v.prev_e + (v.e - v.prev_e) * (${age} - v.prev_age) / (v.age - v.prev_age) END) AS e_at_${age}, ` +
        `max(CASE WHEN v.age = ${age} THEN v.clicks_read WHEN v.prev_age < ${age} AND ${age} < v.age ` +
        `THEN v.prev_clicks + (v.clicks_read - v.prev_clicks) * (${age} - v.prev_age) / (v.age - v.prev_age) END) AS clicks_at_${age}`,
    ),
  );
  return Prisma.sql`
    WITH ${pointsOfPostsCtes(postIds)},
    checkpoints AS (
      SELECT v.post_id, ${Prisma.join(atAges)} FROM points v GROUP BY v.post_id
    ),
    latest AS (SELECT DISTINCT ON (post_id) * FROM points ORDER BY post_id, age DESC),
    below_horizon AS (SELECT post_id, age, e, prev_age, prev_e FROM points WHERE age < ${HORIZON_DAYS}),
    last_below_horizon AS (
      SELECT DISTINCT ON (post_id) post_id, age, e FROM below_horizon ORDER BY post_id, age DESC
    ),
    vertices AS (
      SELECT * FROM below_horizon
      UNION ALL
      SELECT c.post_id, ${HORIZON_DAYS}::float8, c.e_at_28, coalesce(lb.age, 0), coalesce(lb.e, 0)
      FROM checkpoints c LEFT JOIN last_below_horizon lb ON lb.post_id = c.post_id
      WHERE c.e_at_28 IS NOT NULL
    ),
    half_hit AS (
      SELECT DISTINCT ON (v.post_id) v.post_id,
        CASE WHEN v.e = v.prev_e THEN v.prev_age
          ELSE v.prev_age + (0.5 * c.e_at_28 - v.prev_e) * (v.age - v.prev_age) / (v.e - v.prev_e) END AS half_life
      FROM vertices v JOIN checkpoints c ON c.post_id = v.post_id
      WHERE c.e_at_28 > 0 AND v.e >= 0.5 * c.e_at_28
      ORDER BY v.post_id, v.age
    )
    SELECT p.id AS post_id, (SELECT max(s.captured_at) FROM metric_snapshot s WHERE s.post_id = p.id) AS last_captured_at,
      l.age AS observed_age, ${latest},
      CASE WHEN l.clicks IS NOT NULL THEN c.clicks_at_3 END AS clicks3,
      ${Prisma.join(
        [7, 14, 21, HORIZON_DAYS].map(
          (age) =>
            Prisma.sql`CASE WHEN ${engagementsGivenSql("l")} THEN c.e_at_${Prisma.raw(String(age))} END AS e${Prisma.raw(String(age))}`,
        ),
      )},
      h.half_life
    FROM post p
    LEFT JOIN latest l ON l.post_id = p.id
    LEFT JOIN checkpoints c ON c.post_id = p.id
    LEFT JOIN half_hit h ON h.post_id = p.id
    WHERE p.id = ANY(${postIds}::int[])`;
}

/**
 * CTEs `maxima` (each snapshot at or after publishing, each counter as its running maximum, null
 * until first given) and `points` (those with E and clicks read as 0 where not given, and the
 * previous point's age, E and clicks; the origin before the first).
 */
function pointsOfPostsCtes(postIds: readonly number[]): Prisma.Sql {
  const maxima = COUNTERS.map((counter) => Prisma.raw(`max(m.${counter}::float8) OVER w AS ${counter}`));
  return Prisma.sql`maxima AS (
      SELECT m.post_id, m.captured_at, extract(epoch FROM m.captured_at - p.published_at)::float8 / 86400 AS age,
        ${Prisma.join(maxima)}
      FROM metric_snapshot m JOIN post p ON p.id = m.post_id
      WHERE m.post_id = ANY(${postIds}::int[]) AND m.captured_at >= p.published_at
      WINDOW w AS (PARTITION BY m.post_id ORDER BY m.captured_at)
    ),
    points AS (
      SELECT x.*, coalesce(lag(x.age) OVER w, 0) AS prev_age, coalesce(lag(x.e) OVER w, 0) AS prev_e,
        coalesce(lag(x.clicks_read) OVER w, 0) AS prev_clicks
      FROM (SELECT *, ${engagementsSql("maxima")} AS e, coalesce(clicks, 0) AS clicks_read FROM maxima) x
      WINDOW w AS (PARTITION BY x.post_id ORDER BY x.age)
    )`;
}

/** What each snapshot of the posts added to E and clicks (running maxima): (post_id, captured_at, engagements, clicks). */
export function gainsOfPosts(postIds: readonly number[]): Prisma.Sql {
  return Prisma.sql`WITH ${pointsOfPostsCtes(postIds)}
    SELECT post_id, captured_at, e - prev_e AS engagements, clicks_read - prev_clicks AS clicks FROM points`;
}
