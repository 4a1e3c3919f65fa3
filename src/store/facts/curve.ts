import { Prisma } from "../../generated/prisma/client.ts";
import { HORIZON_DAYS } from "../../metrics/types.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { engagementsGivenSql } from "./columns.ts";
import { curveOfPost } from "./compute.ts";
import { type PostScope, scopedPostsCte } from "./scope.ts";
import { storedFactsCurrentAt } from "./stored.ts";
import { queryStoredFactsFirst } from "./storedFirst.ts";

export interface CurvePoint {
  day: number;
  /** Posts observed at least this many days that give a part of E. */
  posts: number;
  /** Mean cumulative engagements and clicks per observed post that gives them. */
  engagements: number | null;
  clicks: number | null;
}

/**
 * E and clicks of a post with stored facts at each whole day it was observed, from its stored
 * gains (E and clicks up to a snapshot are the sum of its gains): each snapshot's segment from
 * the point before it (the origin before the first) covers the days after that point up to it,
 * interpolated as src/metrics does. Null for a post that never gives E (or clicks).
 */
export function daysFromStoredGains(at: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT seg.published_at, d.day,
      CASE WHEN seg.gives_e THEN CASE WHEN d.day = seg.age THEN seg.e
        ELSE seg.prev_e + (seg.e - seg.prev_e) * (d.day - seg.prev_age) / (seg.age - seg.prev_age) END END AS e,
      CASE WHEN seg.gives_clicks THEN CASE WHEN d.day = seg.age THEN seg.clicks
        ELSE seg.prev_clicks + (seg.clicks - seg.prev_clicks) * (d.day - seg.prev_age) / (seg.age - seg.prev_age) END END
        AS clicks
    FROM (
      SELECT pt.*, lag(pt.age) OVER w IS NULL AS first, coalesce(lag(pt.age) OVER w, 0) AS prev_age,
        coalesce(lag(pt.e) OVER w, 0) AS prev_e, coalesce(lag(pt.clicks) OVER w, 0) AS prev_clicks
      FROM (
        SELECT s.id, s.published_at, ${engagementsGivenSql("pf")} AS gives_e, pf.clicks IS NOT NULL AS gives_clicks,
          extract(epoch FROM g.captured_at - s.published_at)::float8 / 86400 AS age,
          sum(g.engagements) OVER cumulative AS e, sum(g.clicks) OVER cumulative AS clicks
        FROM scoped s JOIN post_fact pf ON pf.post_id = s.id JOIN snapshot_gain g ON g.post_id = s.id
        WHERE ${storedFactsCurrentAt(at)}
        WINDOW cumulative AS (PARTITION BY s.id ORDER BY g.captured_at)
      ) pt
      WINDOW w AS (PARTITION BY pt.id ORDER BY pt.age)
    ) seg
    CROSS JOIN LATERAL generate_series(CASE WHEN seg.first THEN 0 ELSE floor(seg.prev_age)::int + 1 END,
      least(floor(seg.age)::int, ${HORIZON_DAYS}::int)) AS d(day)`;
}

/** The same from the snapshots, for the posts whose facts are not stored, or not current for now. */
function daysFromSnapshots(at: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT s.published_at, v.age::int AS day, v.e, v.clicks
    FROM scoped s CROSS JOIN ${curveOfPost(at, Prisma.sql`generate_series(0, ${HORIZON_DAYS}::int)`)} v
    WHERE NOT EXISTS (SELECT FROM post_fact pf WHERE pf.post_id = s.id AND ${storedFactsCurrentAt(at)})`;
}

/**
 * Mean cumulative engagements and clicks per post by day since publishing (0..span), over one
 * fixed set of posts: those of the scope published at least `span` days before now. The span is
 * the last day (up to day 28) that at least half of the posts giving E on day 0 still give it,
 * so young posts dropping out cannot make the curve jump; every point carries the same post
 * count. No points when no post gives E on day 0. One statement: each post's curve is read once.
 */
export async function queryEngagementCurve(
  db: SqlRunner,
  workspaceId: number,
  now: Date,
  scope: PostScope,
): Promise<CurvePoint[]> {
  const at = Prisma.sql`${now}::timestamptz`;
  const posts = scopedPostsCte(workspaceId, now, scope);
  const points = await queryStoredFactsFirst<CurvePoint>(
    db,
    now,
    {
      stored: Prisma.sql`${posts}, at_day AS MATERIALIZED (${daysFromStoredGains(at)})`,
      everything: Prisma.sql`${posts}, at_day AS MATERIALIZED (${daysFromStoredGains(at)} UNION ALL ${daysFromSnapshots(at)})`,
    },
    curvePointsOfDays(at),
  );
  return points.sort((a, b) => a.day - b.day);
}

/** The curve's points (CurvePoint rows, in no order) from the CTE `at_day` of the posts' days. */
export function curvePointsOfDays(at: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`WITH observed AS (SELECT day, count(e) AS posts FROM at_day GROUP BY day),
    span AS (
      SELECT max(o.day) AS days FROM observed o JOIN observed first ON first.day = 0
      WHERE first.posts > 0 AND o.posts * 2 >= first.posts
    )
    SELECT d.day::int AS day, count(a.e)::int AS posts, avg(a.e) AS engagements, avg(a.clicks) AS clicks
    FROM span CROSS JOIN generate_series(0, span.days) AS d(day)
    LEFT JOIN at_day a ON a.day = d.day AND a.published_at < ${at} - span.days * interval '24 hours'
    GROUP BY d.day`;
}
