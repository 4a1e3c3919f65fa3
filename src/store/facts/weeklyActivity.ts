import { Prisma } from "../../generated/prisma/client.ts";
import { MS_PER_DAY } from "../../metrics/curve.ts";
import { WEEK_MS, type WeekActivity } from "../../metrics/weeklyActivity.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { type PostScope, scopeConditions } from "./scope.ts";

export interface CreatorWeekActivity extends WeekActivity {
  creatorId: number;
}

/** E as of a moment: each part's running maximum up to it (0 before any snapshot, or not given), over the rows `m`. */
function engagementsAsOf(at: Prisma.Sql): Prisma.Sql {
  const maxima = ["likes", "comments", "shares", "saves"].map(
    (counter) => Prisma.sql`coalesce(max(m.${Prisma.raw(counter)}) FILTER (WHERE m.captured_at <= ${at}), 0)`,
  );
  return Prisma.sql`(${Prisma.join(maxima, " + ")})::float8`;
}

function clicksAsOf(at: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`coalesce(max(m.clicks) FILTER (WHERE m.captured_at <= ${at}), 0)::float8`;
}

/** A stored gain `g` of post `p` captured after the post's first week: a sustained engagement. */
export const SUSTAINED_GAIN = Prisma.sql`g.captured_at > p.published_at + interval '7 days'`;

/** The UTC calendar day of a moment, in SQL. */
export function utcDay(moment: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(${moment} AT TIME ZONE 'UTC')::date`;
}

/**
 * The stored gains (snapshot_gain) `g` of the posts in scope that `gains` selects (all in the two
 * weeks), summed straight per creator: one parallel pass over the gains joined to their posts,
 * with no per-post rows in between. A gain is sustained when captured after its post's first week
 * (then, being at or before now, only posts past their first week count). Without `factsStored`,
 * only posts with stored facts: the others are read from their snapshots.
 */
function gainsPerCreator(
  scope: Prisma.Sql,
  gains: Prisma.Sql,
  weekAgo: Prisma.Sql,
  factsStored: boolean,
): Prisma.Sql {
  const sum = (column: "engagements" | "clicks", condition: Prisma.Sql) =>
    Prisma.sql`coalesce(sum(g.${Prisma.raw(column)}) FILTER (WHERE ${condition}), 0)::float8`;
  const thisWeek = Prisma.sql`g.captured_at > ${weekAgo}`;
  const lastWeek = Prisma.sql`g.captured_at <= ${weekAgo}`;
  return Prisma.sql`SELECT p.creator_id,
      ${sum("engagements", thisWeek)} AS e_this, ${sum("engagements", lastWeek)} AS e_last,
      ${sum("clicks", thisWeek)} AS c_this, ${sum("clicks", lastWeek)} AS c_last,
      ${sum("engagements", Prisma.sql`${thisWeek} AND ${SUSTAINED_GAIN}`)} AS s_this,
      ${sum("engagements", Prisma.sql`${lastWeek} AND ${SUSTAINED_GAIN}`)} AS s_last
    FROM snapshot_gain g JOIN post p ON p.id = g.post_id JOIN creator c ON c.id = p.creator_id
      ${factsStored ? Prisma.empty : Prisma.sql`JOIN post_fact pf ON pf.post_id = p.id`}
    WHERE ${scope} AND ${gains}
    GROUP BY p.creator_id`;
}

/** Midnight (UTC) of the day a moment is in. */
function startOfUtcDay(moment: Date): Date {
  return new Date(Math.floor(moment.getTime() / MS_PER_DAY) * MS_PER_DAY);
}

/**
 * The gains of the week (from, to] captured on the UTC days it starts and ends in, which it does
 * not cover whole: two ranges of captured_at, so its index reads those two days only.
 */
function gainsOnEdgeDays(from: Date, to: Date): Prisma.Sql {
  const afterFirstDay = new Date(startOfUtcDay(from).getTime() + MS_PER_DAY);
  return Prisma.sql`(g.captured_at > ${from}::timestamptz AND g.captured_at < ${afterFirstDay}::timestamptz
    OR g.captured_at >= ${startOfUtcDay(to)}::timestamptz AND g.captured_at <= ${to}::timestamptz)`;
}

/** The UTC days `d` the week (from, to] covers whole. */
function wholeDays(from: Date, to: Date): Prisma.Sql {
  const day = (moment: Date) => Prisma.sql`${moment.toISOString().slice(0, 10)}::date`;
  return Prisma.sql`(d.day > ${day(from)} AND d.day < ${day(to)})`;
}

/**
 * The same sums for every creator of the workspace, each of whose sums are stored and current:
 * the whole days of each week from the creators' stored day gains (creator_day_gain), and the
 * gains of the days each week starts and ends in from snapshot_gain, by its captured_at index.
 */
function dayGainsPerCreator(scope: Prisma.Sql, weeks: TwoWeeks, workspaceId: number): Prisma.Sql {
  const thisWeek = wholeDays(weeks.weekAgo, weeks.now);
  const lastWeek = wholeDays(weeks.twoWeeksAgo, weeks.weekAgo);
  const sum = (column: "engagements" | "clicks" | "sustained_engagements", week: Prisma.Sql) =>
    Prisma.sql`coalesce(sum(d.${Prisma.raw(column)}) FILTER (WHERE ${week}), 0)::float8`;
  const edges = Prisma.sql`(${gainsOnEdgeDays(weeks.weekAgo, weeks.now)} OR ${gainsOnEdgeDays(weeks.twoWeeksAgo, weeks.weekAgo)})`;
  return Prisma.sql`SELECT d.creator_id,
      ${sum("engagements", thisWeek)} AS e_this, ${sum("engagements", lastWeek)} AS e_last,
      ${sum("clicks", thisWeek)} AS c_this, ${sum("clicks", lastWeek)} AS c_last,
      ${sum("sustained_engagements", thisWeek)} AS s_this, ${sum("sustained_engagements", lastWeek)} AS s_last
    FROM creator_day_gain d JOIN creator c ON c.id = d.creator_id
    WHERE c.workspace_id = ${workspaceId} AND (${thisWeek} OR ${lastWeek})
    GROUP BY d.creator_id
    UNION ALL
    ${gainsPerCreator(scope, edges, Prisma.sql`${weeks.weekAgo}::timestamptz`, true)}`;
}

/** The two weeks before now: (twoWeeksAgo, weekAgo] and (weekAgo, now]. */
interface TwoWeeks {
  now: Date;
  weekAgo: Date;
  twoWeeksAgo: Date;
}

/**
 * The same sums from the snapshots themselves, for posts whose gains are not stored: E as of
 * each moment per post, then per creator. Sustained engagements only for posts past their first
 * week by the end of that week.
 */
function snapshotsPerCreator(
  scope: Prisma.Sql,
  at: Prisma.Sql,
  weekAgo: Prisma.Sql,
  twoWeeksAgo: Prisma.Sql,
): Prisma.Sql {
  return Prisma.sql`SELECT creator_id, sum(e0 - e1) AS e_this, sum(e1 - e2) AS e_last,
      sum(c0 - c1) AS c_this, sum(c1 - c2) AS c_last,
      coalesce(sum(e0 - es1) FILTER (WHERE published_at + interval '7 days' < ${at}), 0) AS s_this,
      coalesce(sum(e1 - es2) FILTER (WHERE published_at + interval '14 days' < ${at}), 0) AS s_last
    FROM (
      SELECT s.id, s.creator_id, s.published_at,
        ${engagementsAsOf(at)} AS e0, ${clicksAsOf(at)} AS c0,
        ${engagementsAsOf(weekAgo)} AS e1, ${clicksAsOf(weekAgo)} AS c1,
        ${engagementsAsOf(twoWeeksAgo)} AS e2, ${clicksAsOf(twoWeeksAgo)} AS c2,
        ${engagementsAsOf(Prisma.sql`greatest(${weekAgo}, s.published_at + interval '7 days')`)} AS es1,
        ${engagementsAsOf(Prisma.sql`greatest(${twoWeeksAgo}, s.published_at + interval '7 days')`)} AS es2
      FROM (
        SELECT p.id, p.creator_id, p.published_at
        FROM post p JOIN creator c ON c.id = p.creator_id
        WHERE ${scope} AND NOT EXISTS (SELECT FROM post_fact pf WHERE pf.post_id = p.id)
      ) s
      LEFT JOIN metric_snapshot m ON m.post_id = s.id AND m.captured_at BETWEEN s.published_at AND ${at}
      GROUP BY s.id, s.creator_id, s.published_at
    ) as_of
    GROUP BY creator_id`;
}

/** How many of the posts in scope each creator published in each week. */
function publishedPerCreator(scope: Prisma.Sql, weekAgo: Prisma.Sql, twoWeeksAgo: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT p.creator_id,
      count(*) FILTER (WHERE p.published_at > ${weekAgo})::int AS published_this,
      count(*) FILTER (WHERE p.published_at <= ${weekAgo})::int AS published_last
    FROM post p JOIN creator c ON c.id = p.creator_id
    WHERE ${scope} AND p.published_at > ${twoWeeksAgo}
    GROUP BY p.creator_id`;
}

/**
 * What each creator's posts gained in the 7 days before `now` and the 7 before that, reading
 * cumulative counters as of each moment (running maxima up to it): from the stored gains of each
 * snapshot in those two weeks, or, for a post whose gains are not stored, from its snapshots.
 * Creators whose posts gained nothing and published nothing in those two weeks are left out.
 * `factsStored`: every post in scope has stored facts that hold for `now` (workspaceFactsStoredAt),
 * so no snapshot is read, and for the whole workspace the creators' day gains stand in for most
 * of the gains.
 */
export async function queryWeeklyActivity(
  db: SqlRunner,
  workspaceId: number,
  now: Date,
  postScope: PostScope,
  { factsStored = false }: { factsStored?: boolean } = {},
): Promise<CreatorWeekActivity[]> {
  const weeks = {
    now,
    weekAgo: new Date(now.getTime() - WEEK_MS),
    twoWeeksAgo: new Date(now.getTime() - 2 * WEEK_MS),
  };
  // Moments computed here reach the statement as constants, not as expressions to evaluate per row.
  const at = Prisma.sql`${now}::timestamptz`;
  const weekAgo = Prisma.sql`${weeks.weekAgo}::timestamptz`;
  const twoWeeksAgo = Prisma.sql`${weeks.twoWeeksAgo}::timestamptz`;
  const scope = scopeConditions(workspaceId, now, postScope);
  const twoWeeks = Prisma.sql`g.captured_at > ${twoWeeksAgo} AND g.captured_at <= ${at}`;
  const wholeWorkspace = Object.values(postScope).every((condition) => condition === undefined);
  const gained = !factsStored
    ? Prisma.sql`${gainsPerCreator(scope, twoWeeks, weekAgo, false)}
      UNION ALL ${snapshotsPerCreator(scope, at, weekAgo, twoWeeksAgo)}`
    : wholeWorkspace
      ? dayGainsPerCreator(scope, weeks, workspaceId)
      : gainsPerCreator(scope, twoWeeks, weekAgo, true);
  return db.$queryRaw<CreatorWeekActivity[]>`
    WITH gained AS (${gained}),
    per_creator AS (
      SELECT coalesce(g.creator_id, p.creator_id) AS "creatorId",
        coalesce(p.published_this, 0) AS "publishedThisWeek", coalesce(p.published_last, 0) AS "publishedLastWeek",
        coalesce(g.c_this, 0) AS "clicksThisWeek", coalesce(g.c_last, 0) AS "clicksLastWeek",
        coalesce(g.e_this, 0) AS "engagementsThisWeek", coalesce(g.e_last, 0) AS "engagementsLastWeek",
        coalesce(g.s_this, 0) AS "sustainedThisWeek", coalesce(g.s_last, 0) AS "sustainedLastWeek"
      FROM (
        SELECT creator_id, sum(e_this) AS e_this, sum(e_last) AS e_last, sum(c_this) AS c_this,
          sum(c_last) AS c_last, sum(s_this) AS s_this, sum(s_last) AS s_last
        FROM gained GROUP BY creator_id
      ) g
      FULL JOIN (${publishedPerCreator(scope, weekAgo, twoWeeksAgo)}) p ON p.creator_id = g.creator_id
    )
    SELECT * FROM per_creator
    WHERE "publishedThisWeek" + "publishedLastWeek" > 0 OR "clicksThisWeek" <> 0 OR "clicksLastWeek" <> 0
      OR "engagementsThisWeek" <> 0 OR "engagementsLastWeek" <> 0
      OR "sustainedThisWeek" <> 0 OR "sustainedLastWeek" <> 0`;
}
