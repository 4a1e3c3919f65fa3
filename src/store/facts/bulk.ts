import { Prisma } from "../../generated/prisma/client.ts";
import { COUNTERS, HORIZON_DAYS } from "../../metrics/types.ts";
import { engagementsGivenSql, engagementsSql } from "./columns.ts";
import { fellBelow } from "./falls.ts";

const AGES = [3, 7, 14, 21, HORIZON_DAYS] as const;

/**
 * The CTE `points` of many posts at once, for the import to store their facts and gains from one
 * sort of their snapshots. Each snapshot at or after publishing (`published`) comes with each
 * counter as its running maximum (null until first given), E and clicks read as 0 where not given,
 * the previous point's age, E and clicks (the origin before the first), and the post's E at 28 days
 * (`e28`, for the half-life); the facts and the gains read these published points only (both read
 * it: materialised). `fell` marks the points of the posts whose counters may have fallen by more
 * than 10 % (queryCounterFalls tells which): every snapshot before publishing (kept, in windows of
 * their own, for this only) and every published one more than 10 % below its running maximum.
 */
export function pointsOfPostsCte(postIds: readonly number[]): Prisma.Sql {
  const maxima = COUNTERS.map((counter) => Prisma.raw(`${runningMaximum(counter)} AS ${counter}`));
  const fell = COUNTERS.map((counter) => fellBelow(`m.${counter}::float8`, runningMaximum(counter)));
  return Prisma.sql`points AS MATERIALIZED (
      SELECT y.*, max(${interpolatedAt(HORIZON_DAYS, "e")}) OVER (PARTITION BY y.post_id) AS e28
      FROM (
        SELECT x.*, coalesce(lag(x.age) OVER w, 0) AS prev_age, coalesce(lag(x.e) OVER w, 0) AS prev_e,
          coalesce(lag(x.clicks_read) OVER w, 0) AS prev_clicks
        FROM (
          SELECT maxima.*, ${engagementsSql("maxima")} AS e, coalesce(maxima.clicks, 0) AS clicks_read
          FROM (
            SELECT m.post_id, m.captured_at, m.published,
              extract(epoch FROM m.captured_at - m.published_at)::float8 / 86400 AS age, ${Prisma.join(maxima)},
              NOT m.published OR ${Prisma.raw(fell.join(" OR "))} AS fell
            FROM (
              SELECT m.*, p.published_at, m.captured_at >= p.published_at AS published
              FROM metric_snapshot m JOIN post p ON p.id = m.post_id
              WHERE m.post_id = ANY(${postIds}::int[])
            ) m
            WINDOW w AS (PARTITION BY m.post_id, m.published ORDER BY m.captured_at)
          ) maxima
        ) x
        WINDOW w AS (PARTITION BY x.post_id, x.published ORDER BY x.captured_at)
      ) y
    )`;
}

/** A counter of the snapshots `m` as its running maximum over the window `w`, the snapshot itself included. */
function runningMaximum(counter: string): string {
  return `max(m.${counter}::float8) OVER w`;
}

/** X(age) on the segment from the point `y`'s previous point to it, where it covers `age`; null elsewhere. */
function interpolatedAt(age: number, column: "e" | "clicks"): Prisma.Sql {
  const [value, previous] = column === "e" ? ["y.e", "y.prev_e"] : ["y.clicks_read", "y.prev_clicks"];
  return Prisma.raw(
    `CASE WHEN y.age = ${age} THEN ${value} WHEN y.prev_age < ${age} AND ${age} < y.age ` +
      `THEN ${previous} + (${value} - ${previous}) * (${age} - y.prev_age) / (y.age - y.prev_age) END`,
  );
}

/**
 * The facts of the posts of `points`, as of their last snapshot: the same contract as
 * `factsOfPost` (compute.ts), grouped from the points in one pass. A SELECT of (post_id,
 * last_captured_at, every fact column); the property tests hold its stored rows equal to
 * `factsOfPost` and src/metrics. Running maxima never fall, so a post's latest counters are their
 * maxima, and E before the horizon is highest at the last point before it. Only a post without a
 * snapshot since publishing reads its last snapshot from the table.
 */
export function factsOfPoints(postIds: readonly number[]): Prisma.Sql {
  const latest = COUNTERS.map((counter) => Prisma.raw(`max(y.${counter}) AS ${counter}`));
  const atAges = AGES.flatMap((age) => [
    Prisma.sql`max(${interpolatedAt(age, "e")}) AS e_at_${Prisma.raw(String(age))}`,
    Prisma.sql`max(${interpolatedAt(age, "clicks")}) AS clicks_at_${Prisma.raw(String(age))}`,
  ]);
  const half = Prisma.raw("0.5 * y.e28");
  return Prisma.sql`
    SELECT p.id AS post_id,
      coalesce(c.last_captured_at, (SELECT max(s.captured_at) FROM metric_snapshot s WHERE s.post_id = p.id))
        AS last_captured_at,
      c.observed_age, ${Prisma.join(COUNTERS.map((counter) => Prisma.raw(`c.${counter}`)))},
      CASE WHEN c.clicks IS NOT NULL THEN c.clicks_at_3 END AS clicks3,
      ${Prisma.join(
        [7, 14, 21, HORIZON_DAYS].map(
          (age) =>
            Prisma.sql`CASE WHEN ${engagementsGivenSql("c")} THEN c.e_at_${Prisma.raw(String(age))} END AS e${Prisma.raw(String(age))}`,
        ),
      )},
      coalesce(c.half_life_before_horizon, CASE WHEN c.e_at_28 > 0 THEN
        CASE WHEN c.e_at_28 = c.last_e_below THEN c.last_age_below
          ELSE c.last_age_below + (0.5 * c.e_at_28 - c.last_e_below) * (${HORIZON_DAYS} - c.last_age_below) / (c.e_at_28 - c.last_e_below) END
      END) AS half_life
    FROM post p
    LEFT JOIN (
      SELECT y.post_id, max(y.captured_at) AS last_captured_at, max(y.age) AS observed_age, ${Prisma.join(latest)}, ${Prisma.join(atAges)},
        coalesce(max(y.age) FILTER (WHERE y.age < ${HORIZON_DAYS}), 0) AS last_age_below,
        coalesce(max(y.e) FILTER (WHERE y.age < ${HORIZON_DAYS}), 0) AS last_e_below,
        max(CASE WHEN y.e = y.prev_e THEN y.prev_age
          ELSE y.prev_age + (${half} - y.prev_e) * (y.age - y.prev_age) / (y.e - y.prev_e) END)
          FILTER (WHERE y.age < ${HORIZON_DAYS} AND y.e28 > 0 AND y.e >= ${half} AND NOT y.prev_e >= ${half})
          AS half_life_before_horizon
      FROM points y WHERE y.published GROUP BY y.post_id
    ) c ON c.post_id = p.id
    WHERE p.id = ANY(${postIds}::int[])`;
}

/**
 * What each point added to E and clicks (running maxima): (post_id, captured_at, engagements, clicks),
 * in capture order, so the gains of one day lie together on disk and the weekly activity reads
 * the days its weeks start and end in from a few pages instead of from most of the table.
 */
export const GAINS_OF_POINTS = Prisma.sql`
  SELECT post_id, captured_at, e - prev_e AS engagements, clicks_read - prev_clicks AS clicks FROM points WHERE published
  ORDER BY captured_at`;
