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
 * from the rows the caller wrote. Returns the ids of those posts whose counters may have fallen
 * by more than 10 % (usually none): every post queryCounterFalls would report is among them.
 */
export async function refreshPostFacts(db: SqlRunner, postIds: readonly number[]): Promise<number[]> {
  if (postIds.length === 0) return [];
  const columns = Prisma.raw(FACT_COLUMNS.join(", "));
  const updates = Prisma.raw(FACT_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(", "));
  await db.$executeRaw`DELETE FROM snapshot_gain WHERE post_id = ANY(${postIds}::int[])`;
  const mayHaveFallen = await db.$queryRaw<{ post_id: number }[]>`
    WITH ${pointsOfPostsCte(postIds)},
    gains AS (INSERT INTO snapshot_gain (post_id, captured_at, engagements, clicks) ${GAINS_OF_POINTS}),
    facts AS (
      INSERT INTO post_fact (post_id, last_captured_at, ${columns})
      ${factsOfPoints(postIds)}
      ON CONFLICT (post_id) DO UPDATE SET last_captured_at = EXCLUDED.last_captured_at, ${updates}
    )
    SELECT DISTINCT post_id FROM points WHERE fell`;
  return mayHaveFallen.map((row) => row.post_id);
}

/** The columns of `facts` besides the fact columns, from the posts `s`. */
const POST_COLUMNS = Prisma.sql`s.id, s.creator_id, s.campaign_id, s.published_at, s.fee, s.followers`;

/** The stored facts `pf` hold for `now`: the post has no snapshot after it. */
export function storedFactsCurrentAt(now: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(pf.last_captured_at IS NULL OR pf.last_captured_at <= ${now})`;
}

/**
 * CTEs `scoped` (the posts) and `facts` (their facts as of `now`, with ids, fee and followers).
 * A post whose stored facts are current for `now` (no snapshot after it) reads them; any other
 * post (snapshots after `now`, or never stored) has its facts computed from its snapshots.
 */
export function factsCtes(workspaceId: number, now: Date, scope: PostScope): Prisma.Sql {
  const at = Prisma.sql`${now}::timestamptz`;
  return Prisma.sql`${scopedPostsCte(workspaceId, now, scope)},
with_stored AS (
  SELECT s.*, pf.post_id IS NOT NULL AND ${storedFactsCurrentAt(at)} AS current, ${factColumnsOf("pf")}
  FROM scoped s LEFT JOIN post_fact pf ON pf.post_id = s.id
),
facts AS (
  SELECT ${POST_COLUMNS}, ${factColumnsOf("s")} FROM with_stored s WHERE s.current
  UNION ALL
  SELECT ${POST_COLUMNS}, ${factColumnsOf("f")}
  FROM with_stored s CROSS JOIN ${factsOfPost(at)} f
  WHERE NOT s.current
)`;
}

/** The same CTEs from stored facts alone: only the posts whose facts hold for `now`. */
export function storedFactsCtes(workspaceId: number, now: Date, scope: PostScope): Prisma.Sql {
  return Prisma.sql`${scopedPostsCte(workspaceId, now, scope)},
facts AS (
  SELECT ${POST_COLUMNS}, ${factColumnsOf("pf")}
  FROM scoped s JOIN post_fact pf ON pf.post_id = s.id
  WHERE ${storedFactsCurrentAt(Prisma.sql`${now}::timestamptz`)}
)`;
}

/**
 * Stores the facts of every post of the workspace that has none (new posts, and posts whose
 * snapshots or publishing moment changed since: the database forgets their facts on each such
 * write). Returns the ids of those posts whose counters may have fallen (refreshPostFacts).
 */
export async function storeMissingPostFacts(db: SqlRunner, workspaceId: number): Promise<number[]> {
  const missing = await db.$queryRaw<{ id: number }[]>`
    SELECT p.id FROM post p LEFT JOIN post_fact pf ON pf.post_id = p.id
    WHERE p.workspace_id = ${workspaceId} AND pf.post_id IS NULL`;
  return refreshPostFacts(
    db,
    missing.map((row) => row.id),
  );
}
