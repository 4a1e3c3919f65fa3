import { Prisma } from "../../generated/prisma/client.ts";
import { COUNTERS, type Counter } from "../../metrics/types.ts";
import type { SqlRunner } from "../sqlRunner.ts";

/** A counter that fell by more than this share of its highest earlier value is reported. */
export const REPORTED_FALL = 0.1;

/** Whether `value` is more than 10 % below `peak`, in SQL. */
export function fellBelow(value: string, peak: string): string {
  return `${value} < ${1 - REPORTED_FALL} * ${peak}`;
}

/** The deepest fall of one counter of one post: from its highest earlier value to a later one. */
export interface CounterFall {
  platform: string;
  postId: string;
  counter: Counter;
  from: number;
  to: number;
}

export interface CounterFalls {
  /** (post, counter) pairs that fell by more than 10 %. */
  count: number;
  /** The first `limit` of them, by platform, post and counter. */
  falls: CounterFall[];
}

/**
 * Where cumulative counters of the given posts fell by more than 10 % between snapshots (the
 * metrics read them as running maxima; an import reports these as warnings).
 */
export async function queryCounterFalls(
  db: SqlRunner,
  postIds: readonly number[],
  limit: number,
): Promise<CounterFalls> {
  if (postIds.length === 0) return { count: 0, falls: [] };
  const peaks = COUNTERS.map((counter) =>
    Prisma.raw(`max(m.${counter}::float8) OVER earlier AS ${counter}_peak`),
  );
  const fell = COUNTERS.map((counter) => Prisma.raw(fellBelow(counter, `${counter}_peak`)));
  const unpivot = COUNTERS.map((counter, index) =>
    Prisma.raw(`(${index}, '${counter}', ${counter}_peak, ${counter}::float8)`),
  );
  const rows = await db.$queryRaw<(CounterFall & { total: number })[]>`
    WITH with_peaks AS (
      SELECT m.*, ${Prisma.join(peaks)}
      FROM metric_snapshot m
      WHERE m.post_id = ANY(${postIds}::int[])
      WINDOW earlier AS (PARTITION BY m.post_id ORDER BY m.captured_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ),
    deepest AS (
      SELECT DISTINCT ON (w.post_id, c.ordinal) w.post_id, c.ordinal, c.counter, c.peak, c.value
      FROM with_peaks w CROSS JOIN LATERAL (VALUES ${Prisma.join(unpivot)}) AS c(ordinal, counter, peak, value)
      WHERE (${Prisma.join(fell, " OR ")}) AND ${Prisma.raw(fellBelow("c.value", "c.peak"))}
      ORDER BY w.post_id, c.ordinal, c.peak - c.value DESC
    )
    SELECT p.platform, p.external_id AS "postId", d.counter, d.peak AS "from", d.value AS "to",
      count(*) OVER ()::int AS total
    FROM deepest d JOIN post p ON p.id = d.post_id
    ORDER BY p.platform, p.external_id, d.ordinal
    LIMIT ${limit}`;
  return { count: rows[0]?.total ?? 0, falls: rows.map(({ total, ...fall }) => fall) };
}
