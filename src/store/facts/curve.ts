import { Prisma } from "../../generated/prisma/client.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { curveOfPost } from "./compute.ts";
import { type PostScope, scopedPostsCte } from "./scope.ts";

export interface CurvePoint {
  day: number;
  /** Posts observed at least this many days that give a part of E. */
  posts: number;
  /** Mean cumulative engagements and clicks per observed post that gives them. */
  engagements: number | null;
  clicks: number | null;
}

/** Day-by-day cumulative engagements and clicks (0..days since publishing), averaged over posts. */
export async function queryEngagementCurve(
  db: SqlRunner,
  workspaceId: number,
  now: Date,
  scope: PostScope,
  days = 28,
): Promise<CurvePoint[]> {
  const everyDay = Prisma.sql`generate_series(0, ${days}::int)`;
  return db.$queryRaw<CurvePoint[]>`
    WITH ${scopedPostsCte(workspaceId, now, scope)},
    at_day AS (
      SELECT v.age AS day, v.e, v.clicks
      FROM scoped s CROSS JOIN ${curveOfPost(Prisma.sql`${now}::timestamptz`, everyDay)} v
    )
    SELECT d.day::int AS day, count(a.e)::int AS posts, avg(a.e) AS engagements, avg(a.clicks) AS clicks
    FROM ${everyDay} AS d(day) LEFT JOIN at_day a ON a.day = d.day
    GROUP BY d.day ORDER BY d.day`;
}
