import { Prisma } from "../../generated/prisma/client.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { factsOfPoints, GAINS_OF_POINTS, pointsOfPostsCte } from "./bulk.ts";
import { FACT_COLUMNS, factColumnsOf } from "./columns.ts";
import { factsOfPost } from "./compute.ts";
import { type PostScope, scopedPostsCte } from "./scope.ts";

/**
 * Stores the facts of the given posts as of their last snapshot, and what each of their
 * snapshots gained (the import calls this, in its transaction, for the posts it touched), both
 * from one pass over their snapshots. Posts of other workspaces are never named here: ids come
 * from the rows the caller wrote.
 */
export async function refreshPostFacts(db: SqlRunner, postIds: readonly number[]): Promise<void> {
  if (postIds.length === 0) return;
  const columns = Prisma.raw(FACT_COLUMNS.join(", "));
  const updates = Prisma.raw(FACT_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(", "));
  await db.$executeRaw`DELETE FROM snapshot_gain WHERE post_id = ANY(${postIds}::int[])`;
  await db.$executeRaw`
    WITH ${pointsOfPostsCte(postIds)},
    gains AS (INSERT INTO snapshot_gain (post_id, captured_at, engagements, clicks) ${GAINS_OF_POINTS})
    INSERT INTO post_fact (post_id, last_captured_at, ${columns})
    ${factsOfPoints(postIds)}
    ON CONFLICT (post_id) DO UPDATE SET last_captured_at = EXCLUDED.last_captured_at, ${updates}`;
}

/**
 * CTEs `scoped` (the posts) and `facts` (their facts as of `now`, with ids, fee and followers).
 * A post whose stored facts are current for `now` (no snapshot after it) reads them; any other
 * post (snapshots after `now`, or never stored) has its facts computed from its snapshots.
 */
export function factsCtes(workspaceId: number, now: Date, scope: PostScope): Prisma.Sql {
  const ids = Prisma.sql`s.id, s.creator_id, s.campaign_id, s.published_at, s.fee, s.followers`;
  return Prisma.sql`${scopedPostsCte(workspaceId, now, scope)},
with_stored AS (
  SELECT s.*, pf.post_id IS NOT NULL AND (pf.last_captured_at IS NULL OR pf.last_captured_at <= ${now}) AS current,
    ${factColumnsOf("pf")}
  FROM scoped s LEFT JOIN post_fact pf ON pf.post_id = s.id
),
facts AS (
  SELECT ${ids}, ${factColumnsOf("s")} FROM with_stored s WHERE s.current
  UNION ALL
  SELECT ${ids}, ${factColumnsOf("f")}
  FROM with_stored s CROSS JOIN ${factsOfPost(Prisma.sql`${now}::timestamptz`)} f
  WHERE NOT s.current
)`;
}

/**
 * Stores the facts of every post of the workspace that has none (new posts, and posts whose
 * snapshots or publishing moment changed since: the database forgets their facts on each such
 * write). Returns the ids of the posts it stored.
 */
export async function storeMissingPostFacts(db: SqlRunner, workspaceId: number): Promise<number[]> {
  const missing = await db.$queryRaw<{ id: number }[]>`
    SELECT p.id FROM post p LEFT JOIN post_fact pf ON pf.post_id = p.id
    WHERE p.workspace_id = ${workspaceId} AND pf.post_id IS NULL`;
  const ids = missing.map((row) => row.id);
  await refreshPostFacts(db, ids);
  return ids;
}
