import { Prisma } from "../../generated/prisma/client.ts";
import type { TierBoundaries } from "../../metrics/types.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { factColumnsOf } from "./columns.ts";
import { tierCase } from "./scope.ts";
import { factsCtes, storeMissingPostFacts } from "./stored.ts";
import { type GroupedFactSums, groupKey, SUMS_SELECT, SUMS_SHAPE } from "./sums.ts";
import { storeMissingTierMedians } from "./tierMedians.ts";
import { SUSTAINED_GAIN, utcDay } from "./weeklyActivity.ts";

/** A stored row `cs` that holds the creator's sums as of `now`: every post published and every fact current by then. */
function storedSumsCurrentAt(now: Date): Prisma.Sql {
  return Prisma.sql`cs.shape = ${SUMS_SHAPE} AND cs.last_published_at <= ${now}
    AND (cs.last_captured_at IS NULL OR cs.last_captured_at <= ${now})`;
}

/**
 * Stores the facts (and gains) of every post of the workspace that has none, then the sums of
 * every creator that has none while all of the creator's posts have stored facts, then the tier
 * medians from those sums. Returns the ids of the posts whose facts it stored and whose counters
 * may have fallen (refreshPostFacts).
 */
export async function refreshMissingPostFacts(db: SqlRunner, workspaceId: number): Promise<number[]> {
  const mayHaveFallen = await storeMissingPostFacts(db, workspaceId);
  await refreshMissingCreatorSums(db, workspaceId);
  await storeMissingTierMedians(db, workspaceId);
  return mayHaveFallen;
}

/**
 * Stores the pooled sums of each creator of the workspace without a current row (the triggers
 * delete a creator's row on any write to its followers, posts or post facts) whose posts all have
 * stored facts, set-based, from those facts; and what their posts gained each day.
 */
export async function refreshMissingCreatorSums(db: SqlRunner, workspaceId: number): Promise<void> {
  const stored = await db.$queryRaw<{ creatorId: number }[]>`
    WITH missing AS (
      SELECT c.id, c.followers FROM creator c
      WHERE c.workspace_id = ${workspaceId}
        AND NOT EXISTS (SELECT FROM creator_fact_sum cs WHERE cs.creator_id = c.id AND cs.shape = ${SUMS_SHAPE})
        AND EXISTS (SELECT FROM post p WHERE p.creator_id = c.id)
        AND NOT EXISTS (
          SELECT FROM post p WHERE p.creator_id = c.id
            AND NOT EXISTS (SELECT FROM post_fact pf WHERE pf.post_id = p.id)
        )
    ),
    facts AS (
      SELECT p.id, p.creator_id, p.published_at, p.fee::float8 AS fee, m.followers::float8 AS followers,
        pf.last_captured_at, ${factColumnsOf("pf")}
      FROM missing m JOIN post p ON p.creator_id = m.id JOIN post_fact pf ON pf.post_id = p.id
    ),
    sums AS (
      SELECT creator_id AS key, max(published_at) AS last_published_at, max(last_captured_at) AS last_captured_at,
        ${SUMS_SELECT}
      FROM facts GROUP BY creator_id
    )
    INSERT INTO creator_fact_sum (creator_id, last_published_at, last_captured_at, sums, shape)
    SELECT key, last_published_at, last_captured_at, to_jsonb(sums) - 'last_published_at' - 'last_captured_at',
      ${SUMS_SHAPE}
    FROM sums
    ON CONFLICT (creator_id) DO UPDATE SET last_published_at = EXCLUDED.last_published_at,
      last_captured_at = EXCLUDED.last_captured_at, sums = EXCLUDED.sums, shape = EXCLUDED.shape
    RETURNING creator_id AS "creatorId"`;
  await storeDayGains(
    db,
    stored.map((row) => row.creatorId),
  );
}

/**
 * What each of these creators' posts gained per UTC day (all, and after the post's first week,
 * as the weekly activity counts sustained engagements), from their stored gains.
 */
async function storeDayGains(db: SqlRunner, creatorIds: number[]): Promise<void> {
  if (creatorIds.length === 0) return;
  await db.$executeRaw`DELETE FROM creator_day_gain WHERE creator_id = ANY(${creatorIds}::int[])`;
  await db.$executeRaw`
    INSERT INTO creator_day_gain (creator_id, day, engagements, clicks, sustained_engagements)
    SELECT p.creator_id, ${utcDay(Prisma.raw("g.captured_at"))}, sum(g.engagements), sum(g.clicks),
      coalesce(sum(g.engagements) FILTER (WHERE ${SUSTAINED_GAIN}), 0)
    FROM snapshot_gain g JOIN post p ON p.id = g.post_id
    WHERE p.creator_id = ANY(${creatorIds}::int[])
    GROUP BY 1, 2`;
}

/**
 * Whether every post of the workspace published by `now` has stored facts that hold for it (after
 * any import or collection they all do, unless `now` is before their last snapshot), read from the
 * creators' stored sums: one row per creator instead of one per post.
 */
export async function workspaceFactsStoredAt(
  db: SqlRunner,
  workspaceId: number,
  now: Date,
): Promise<boolean> {
  const [row] = await db.$queryRaw<{ stored: boolean }[]>`
    SELECT NOT EXISTS (
      SELECT FROM creator c
      WHERE c.workspace_id = ${workspaceId}
        AND NOT EXISTS (SELECT FROM creator_fact_sum cs WHERE cs.creator_id = c.id AND ${storedSumsCurrentAt(now)})
        AND EXISTS (SELECT FROM post p WHERE p.creator_id = c.id AND p.published_at <= ${now})
    ) AS stored`;
  return row?.stored ?? false;
}

/**
 * Pooled sums per creator of one tier, as of `now` (what the tier medians stand on): a creator's
 * stored row where it is current for `now`, else sums over the creator's facts (stored or
 * computed from snapshots). The same rows as queryFactSums grouped by creator.
 */
export async function queryCreatorSumsOfTier(
  db: SqlRunner,
  workspaceId: number,
  now: Date,
  scope: { tier: string; tierBoundaries: TierBoundaries },
): Promise<GroupedFactSums[]> {
  const notStored = Prisma.sql`NOT EXISTS (
    SELECT FROM creator_fact_sum cs WHERE cs.creator_id = c.id AND ${storedSumsCurrentAt(now)})`;
  const rows = await db.$queryRaw<{ sums: GroupedFactSums }[]>`
    WITH ${factsCtes(workspaceId, now, { ...scope, creatorCondition: notStored })}
    SELECT to_jsonb(summed) AS sums
    FROM (SELECT ${groupKey("creator", scope.tierBoundaries)} AS key, ${SUMS_SELECT} FROM facts GROUP BY 1) summed
    UNION ALL
    SELECT cs.sums || jsonb_build_object('key', cs.creator_id)
    FROM creator c JOIN creator_fact_sum cs ON cs.creator_id = c.id
    WHERE c.workspace_id = ${workspaceId} AND ${tierCase(Prisma.raw("c.followers"), scope.tierBoundaries)} = ${scope.tier}
      AND ${storedSumsCurrentAt(now)}`;
  return rows.map((row) => row.sums);
}
