import type { TierBoundaries } from "../../metrics/types.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { EVERGREEN_SQL } from "./postFactsQuery.ts";
import type { PostScope } from "./scope.ts";
import { factsCtes, storedFactsCtes } from "./stored.ts";
import { type GroupedPooledSums, groupKey, POOLED_SUMS_SELECT } from "./sums.ts";

/** An evergreen post's engagements at 7, 21 and 28 days (each set: the evergreen rule needs them). */
export interface EvergreenFacts {
  postId: number;
  engagementsAt7: number;
  engagementsAt21: number;
  engagementsAt28: number;
}

/** What the weekly digest reads from the per-post facts. */
export interface DigestFacts {
  /** The evergreen posts whose fourth week earned most against their first, best first (ties: lower id first). */
  evergreen: EvergreenFacts[];
  /** Pooled sums per tier over the posts in scope, by tier name. */
  tierSums: GroupedPooledSums[];
  /** Pooled sums per publish week over the posts in scope published at or after `trendFrom`, oldest first. */
  weekSums: GroupedPooledSums[];
}

/**
 * The digest's evergreen posts, sums per tier and sums per publish week, as of `now`, from one
 * statement: the posts' facts are read (or computed from snapshots) once, in one CTE that every
 * part reads. Pooled sums only: the digest shows no median half-life or count of creators, and
 * without them each group is summed in one pass, with no sort. `trendFrom` must not be before
 * `scope.publishedFrom`. `factsStored`: every post in scope has stored facts that hold for `now`
 * (workspaceFactsStoredAt), so no snapshot is read.
 */
export async function queryDigestFacts(
  db: SqlRunner,
  workspaceId: number,
  now: Date,
  scope: PostScope & { tierBoundaries: TierBoundaries },
  options: { trendFrom: Date; evergreenPosts: number; factsStored?: boolean },
): Promise<DigestFacts> {
  const facts = options.factsStored
    ? storedFactsCtes(workspaceId, now, scope)
    : factsCtes(workspaceId, now, scope);
  const [row] = await db.$queryRaw<DigestFacts[]>`
    WITH ${facts},
    tier_sums AS (
      SELECT ${groupKey("tier", scope.tierBoundaries)} AS key, ${POOLED_SUMS_SELECT} FROM facts GROUP BY 1
    ),
    week_sums AS (
      SELECT ${groupKey("publishWeek", scope.tierBoundaries)} AS key, ${POOLED_SUMS_SELECT}
      FROM facts WHERE published_at >= ${options.trendFrom} GROUP BY 1
    ),
    evergreen AS (
      SELECT id, e7, e21, e28, (e28 - e21) / greatest(e7, 1) AS week4_vs_week1
      FROM facts WHERE ${EVERGREEN_SQL} ORDER BY week4_vs_week1 DESC, id LIMIT ${options.evergreenPosts}::int
    )
    SELECT
      (SELECT coalesce(json_agg(json_build_object('postId', id, 'engagementsAt7', e7, 'engagementsAt21', e21,
        'engagementsAt28', e28) ORDER BY week4_vs_week1 DESC, id), '[]') FROM evergreen) AS evergreen,
      (SELECT coalesce(json_agg(t ORDER BY t.key), '[]') FROM tier_sums t) AS "tierSums",
      (SELECT coalesce(json_agg(w ORDER BY w.key), '[]') FROM week_sums w) AS "weekSums"`;
  if (!row) throw new Error("The digest facts query returned no row");
  return row;
}
