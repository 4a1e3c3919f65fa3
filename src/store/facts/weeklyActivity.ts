import { Prisma } from "../../generated/prisma/client.ts";
import type { WeekActivity } from "../../metrics/weeklyActivity.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { type PostScope, scopeConditions } from "./scope.ts";

export interface CreatorWeekActivity extends WeekActivity {
  creatorId: number;
}

/** E as of a moment: each counter's running maximum up to it (0 before any snapshot), over the rows `m`. */
function engagementsAsOf(at: Prisma.Sql): Prisma.Sql {
  const maxima = ["likes", "comments", "shares", "saves"].map(
    (counter) => Prisma.sql`max(m.${Prisma.raw(counter)}) FILTER (WHERE m.captured_at <= ${at})`,
  );
  return Prisma.sql`coalesce(${Prisma.join(maxima, " + ")}, 0)::float8`;
}

function clicksAsOf(at: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`coalesce(max(m.clicks) FILTER (WHERE m.captured_at <= ${at}), 0)::float8`;
}

/** The gains (snapshot_gain) of the posts `s` in each window, as one row per post. */
function gainsPerPost(at: Prisma.Sql, weekAgo: Prisma.Sql, twoWeeksAgo: Prisma.Sql): Prisma.Sql {
  const sum = (column: "engagements" | "clicks", condition: Prisma.Sql) =>
    Prisma.sql`coalesce(sum(g.${Prisma.raw(column)}) FILTER (WHERE ${condition}), 0)::float8`;
  const thisWeek = Prisma.sql`g.captured_at > ${weekAgo}`;
  const lastWeek = Prisma.sql`g.captured_at <= ${weekAgo}`;
  return Prisma.sql`SELECT s.id, s.creator_id, s.published_at,
      ${sum("engagements", thisWeek)} AS e_this, ${sum("engagements", lastWeek)} AS e_last,
      ${sum("clicks", thisWeek)} AS c_this, ${sum("clicks", lastWeek)} AS c_last,
      ${sum("engagements", Prisma.sql`g.captured_at > greatest(${weekAgo}, s.published_at + interval '7 days')`)} AS s_this,
      ${sum("engagements", Prisma.sql`${lastWeek} AND g.captured_at > greatest(${twoWeeksAgo}, s.published_at + interval '7 days')`)} AS s_last
    FROM active s
    LEFT JOIN snapshot_gain g ON g.post_id = s.id AND g.captured_at > ${twoWeeksAgo} AND g.captured_at <= ${at}
    WHERE s.has_gains
    GROUP BY s.id, s.creator_id, s.published_at`;
}

/** The same per-post row from the snapshots themselves, for posts whose gains are not stored. */
function snapshotsPerPost(at: Prisma.Sql, weekAgo: Prisma.Sql, twoWeeksAgo: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT id, creator_id, published_at, e0 - e1 AS e_this, e1 - e2 AS e_last,
      c0 - c1 AS c_this, c1 - c2 AS c_last, e0 - es1 AS s_this, e1 - es2 AS s_last
    FROM (
      SELECT s.id, s.creator_id, s.published_at,
        ${engagementsAsOf(at)} AS e0, ${clicksAsOf(at)} AS c0,
        ${engagementsAsOf(weekAgo)} AS e1, ${clicksAsOf(weekAgo)} AS c1,
        ${engagementsAsOf(twoWeeksAgo)} AS e2, ${clicksAsOf(twoWeeksAgo)} AS c2,
        ${engagementsAsOf(Prisma.sql`greatest(${weekAgo}, s.published_at + interval '7 days')`)} AS es1,
        ${engagementsAsOf(Prisma.sql`greatest(${twoWeeksAgo}, s.published_at + interval '7 days')`)} AS es2
      FROM active s
      LEFT JOIN metric_snapshot m ON m.post_id = s.id AND m.captured_at BETWEEN s.published_at AND ${at}
      WHERE NOT s.has_gains
      GROUP BY s.id, s.creator_id, s.published_at
    ) as_of`;
}

/**
 * What each creator's posts gained in the 7 days before `now` and the 7 before that, reading
 * cumulative counters as of each moment (running maxima up to it): from the stored gains of each
 * snapshot in those two weeks, or, for a post whose gains are not stored, from its snapshots.
 * Creators whose posts gained nothing and published nothing in those two weeks are left out. A
 * post with no snapshot after `now` − 14 days gains nothing in either week, so it is not read.
 */
export async function queryWeeklyActivity(
  db: SqlRunner,
  workspaceId: number,
  now: Date,
  scope: PostScope,
): Promise<CreatorWeekActivity[]> {
  const at = Prisma.sql`${now}::timestamptz`;
  const weekAgo = Prisma.sql`(${at} - interval '7 days')`;
  const twoWeeksAgo = Prisma.sql`(${at} - interval '14 days')`;
  return db.$queryRaw<CreatorWeekActivity[]>`
    WITH active AS (
      SELECT p.id, p.creator_id, p.published_at, pf.post_id IS NOT NULL AS has_gains
      FROM post p JOIN creator c ON c.id = p.creator_id LEFT JOIN post_fact pf ON pf.post_id = p.id
      WHERE ${scopeConditions(workspaceId, now, scope)}
        AND (pf.post_id IS NULL OR pf.last_captured_at > ${twoWeeksAgo} OR p.published_at > ${twoWeeksAgo})
    ),
    per_post AS (
      ${gainsPerPost(at, weekAgo, twoWeeksAgo)}
      UNION ALL
      ${snapshotsPerPost(at, weekAgo, twoWeeksAgo)}
    ),
    per_creator AS (
      SELECT creator_id AS "creatorId",
        count(*) FILTER (WHERE published_at > ${weekAgo})::int AS "publishedThisWeek",
        count(*) FILTER (WHERE published_at > ${twoWeeksAgo} AND published_at <= ${weekAgo})::int AS "publishedLastWeek",
        sum(c_this) AS "clicksThisWeek", sum(c_last) AS "clicksLastWeek",
        sum(e_this) AS "engagementsThisWeek", sum(e_last) AS "engagementsLastWeek",
        coalesce(sum(s_this) FILTER (WHERE published_at + interval '7 days' < ${at}), 0) AS "sustainedThisWeek",
        coalesce(sum(s_last) FILTER (WHERE published_at + interval '14 days' < ${at}), 0) AS "sustainedLastWeek"
      FROM per_post GROUP BY creator_id
    )
    SELECT * FROM per_creator
    WHERE "publishedThisWeek" + "publishedLastWeek" > 0 OR "clicksThisWeek" <> 0 OR "clicksLastWeek" <> 0
      OR "engagementsThisWeek" <> 0 OR "engagementsLastWeek" <> 0
      OR "sustainedThisWeek" <> 0 OR "sustainedLastWeek" <> 0`;
}
