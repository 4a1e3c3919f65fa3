import { Prisma } from "../../generated/prisma/client.ts";
import { COUNTERS, HORIZON_DAYS } from "../../metrics/types.ts";
import { engagementsGivenSql, engagementsSql } from "./columns.ts";

/**
 * The metric contract (src/metrics/postFacts.ts) in SQL for one post: a LATERAL subquery over
 * the post `s` (columns `id`, `published_at`) giving every fact column as of `now`. It reads the
 * post's snapshots in [published_at, now], each counter as its running maximum over capture
 * time, and is the one definition behind both the stored facts and the on-the-fly ones.
 */
export function factsOfPost(now: Prisma.Sql): Prisma.Sql {
  const ages = Prisma.sql`(VALUES (3::float8), (7), (14), (21), (${HORIZON_DAYS}::float8))`;
  return Prisma.sql`LATERAL (
  WITH ${pointsAndAgesCtes(now, ages)},
  checkpoints AS (
    SELECT max(clicks) FILTER (WHERE age = 3) AS clicks3,
      max(e) FILTER (WHERE age = 7) AS e7, max(e) FILTER (WHERE age = 14) AS e14,
      max(e) FILTER (WHERE age = 21) AS e21, max(e) FILTER (WHERE age = ${HORIZON_DAYS}) AS e28
    FROM at_age
  )
  SELECT l.age AS observed_age, ${Prisma.join(COUNTERS.map((counter) => Prisma.raw(`l.${counter}`)))},
    cp.clicks3, cp.e7, cp.e14, cp.e21, cp.e28, hl.half_life
  FROM checkpoints cp
  LEFT JOIN LATERAL (SELECT * FROM points ORDER BY age DESC LIMIT 1) l ON true
  LEFT JOIN LATERAL (${halfLife()}) hl ON true
)`;
}

/**
 * E(a) and clicks(a) of the post `s` as of `now`, at each age `a` (days) of `ages`, a set of
 * one column: a LATERAL subquery with one row (age, e, clicks) per age.
 */
export function curveOfPost(now: Prisma.Sql, ages: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`LATERAL (WITH ${pointsAndAgesCtes(now, ages)} SELECT age, e, clicks FROM at_age)`;
}

/**
 * CTEs `points` (the post's snapshots as running maxima, with E and clicks read as 0 where not
 * given yet) and `at_age` (E and clicks interpolated at each of `ages`: linear between the points
 * around it, from the origin before the first, null past the last, and null when the post's
 * snapshots never give clicks, or any part of E).
 */
function pointsAndAgesCtes(now: Prisma.Sql, ages: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`points AS (
    SELECT r.*, ${engagementsSql("r")} AS e, coalesce(r.clicks, 0) AS clicks_read
    FROM (${runningMaximaOfPost(now)}) r
  ),
  given AS (
    SELECT ${engagementsGivenSql("l")} AS e, l.clicks IS NOT NULL AS clicks FROM points l ORDER BY l.age DESC LIMIT 1
  ),
  at_age AS (
    SELECT a.age, CASE WHEN g.e THEN ${interpolated("e")} END AS e,
      CASE WHEN g.clicks THEN ${interpolated("clicks")} END AS clicks
    FROM ${ages} AS a(age)
    LEFT JOIN given g ON true
    LEFT JOIN LATERAL (SELECT age, e, clicks_read AS clicks FROM points WHERE age <= a.age ORDER BY age DESC LIMIT 1) pv ON true
    LEFT JOIN LATERAL (SELECT age, e, clicks_read AS clicks FROM points WHERE age >= a.age ORDER BY age LIMIT 1) nx ON true
  )`;
}

/** The post's snapshots up to `now` as (age in days, each counter's running maximum). */
function runningMaximaOfPost(now: Prisma.Sql): Prisma.Sql {
  const maxima = COUNTERS.map((counter) => Prisma.raw(`max(m.${counter}::float8) OVER w AS ${counter}`));
  return Prisma.sql`SELECT extract(epoch FROM m.captured_at - s.published_at)::float8 / 86400 AS age,
      ${Prisma.join(maxima)}
    FROM metric_snapshot m
    WHERE m.post_id = s.id AND m.captured_at BETWEEN s.published_at AND ${now}
    WINDOW w AS (ORDER BY m.captured_at)`;
}

/** X(a) between the points `pv` (at or before a, else the origin) and `nx` (at or after a); null past the last. */
function interpolated(column: "e" | "clicks"): Prisma.Sql {
  const c = Prisma.raw(column);
  return Prisma.sql`CASE WHEN nx.age IS NULL THEN NULL
      WHEN nx.age = coalesce(pv.age, 0) THEN nx.${c}
      ELSE coalesce(pv.${c}, 0) + (nx.${c} - coalesce(pv.${c}, 0)) * (a.age - coalesce(pv.age, 0)) / (nx.age - coalesce(pv.age, 0))
    END`;
}

/** The smallest t in [0, 28] with E(t) ≥ E(28) / 2 on the piecewise-linear curve from the origin. */
function halfLife(): Prisma.Sql {
  return Prisma.sql`SELECT CASE WHEN hit.e = hit.prev_e THEN hit.prev_age
      ELSE hit.prev_age + (0.5 * cp.e28 - hit.prev_e) * (hit.age - hit.prev_age) / (hit.e - hit.prev_e) END AS half_life
    FROM (
      SELECT v.age, v.e,
        coalesce(lag(v.age) OVER (ORDER BY v.age), 0) AS prev_age,
        coalesce(lag(v.e) OVER (ORDER BY v.age), 0) AS prev_e
      FROM (
        SELECT age, e FROM points WHERE age < ${HORIZON_DAYS}
        UNION ALL SELECT ${HORIZON_DAYS}::float8, cp.e28
      ) v
    ) hit
    WHERE cp.e28 > 0 AND hit.e >= 0.5 * cp.e28
    ORDER BY hit.age LIMIT 1`;
}
