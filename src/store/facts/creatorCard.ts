import { Prisma } from "../../generated/prisma/client.ts";
import type { TierMedianValues } from "../../metrics/tierMedians.ts";
import type { TierBoundaries } from "../../metrics/types.ts";
import type { CreatorRecord } from "../catalog.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { PREPARED } from "../statementNames.ts";
import { type CurvePoint, curvePointsOfDays, daysFromStoredGains } from "./curve.ts";
import { tierCase } from "./scope.ts";
import { storedFactsCtes, storedFactsCurrentAt } from "./stored.ts";
import { type GroupedFactSums, SUMS_SELECT } from "./sums.ts";
import { storedTierMediansSql } from "./tierMedians.ts";

/** Everything a creator's card reads, from stored facts alone. */
export interface CreatorCardFacts {
  /** Pooled sums over all of the creator's posts, as queryFactSums with no grouping. */
  totals: GroupedFactSums;
  /** The stored medians of the creator's tier, as queryStoredTierMedians; null when not stored for now. */
  tierMedians: TierMedianValues | null;
  /** As queryEngagementCurve, by day. */
  curve: CurvePoint[];
  /** The names of the campaigns the creator posted in, as campaignNamesOfCreator. */
  campaigns: string[];
}

export interface CreatorCardRow {
  /** The creator with exactly this handle (the most followed, on several platforms), as findCreators; null: none. */
  creator: CreatorRecord | null;
  /** Null when some of the creator's posts have no stored facts that hold for `now`. */
  facts: CreatorCardFacts | null;
}

/**
 * A creator found by exact handle and what their card shows, in one statement: after the
 * workspace lookup every question makes, the answer to `/creator` is one more round trip to the
 * database in the usual case (stored facts current for `now`, as after any import). What it
 * cannot answer from stored facts comes back null, for the caller to ask the queries that
 * compute it.
 */
export async function queryCreatorCard(
  db: SqlRunner,
  workspaceId: number,
  now: Date,
  search: { handle: string; platform?: string; tierBoundaries: TierBoundaries },
): Promise<CreatorCardRow> {
  const at = Prisma.sql`${now}::timestamptz`;
  const onPlatform = search.platform ? Prisma.sql`AND c.platform = ${search.platform}` : Prisma.empty;
  const ofFound = Prisma.sql`c.id = (SELECT id FROM found)`;
  const [row] = await db.$queryRaw<
    { creator: CreatorRecord | null; postsNotCurrent: number; facts: CreatorCardFacts }[]
  >`${PREPARED}
    WITH found AS (
      SELECT c.id, c.handle, c.platform, c.followers FROM creator c
      WHERE c.workspace_id = ${workspaceId} AND c.handle = ${search.handle} ${onPlatform}
      ORDER BY c.followers DESC LIMIT 1
    ),
    ${storedFactsCtes(workspaceId, now, { creatorCondition: ofFound })},
    at_day AS MATERIALIZED (${daysFromStoredGains(at)}),
    curve AS (${curvePointsOfDays(at)})
    SELECT
      (SELECT to_json(f) FROM found f) AS creator,
      (SELECT count(*)::int FROM scoped s
        WHERE NOT EXISTS (SELECT FROM post_fact pf WHERE pf.post_id = s.id AND ${storedFactsCurrentAt(at)})
      ) AS "postsNotCurrent",
      json_build_object(
        'totals', (SELECT to_json(t) FROM (SELECT NULL::int AS key, ${SUMS_SELECT} FROM facts) t),
        'tierMedians', (${storedTierMediansSql(
          workspaceId,
          now,
          tierCase(Prisma.sql`(SELECT followers FROM found)`, search.tierBoundaries),
          search.tierBoundaries,
        )}),
        'curve', (SELECT coalesce(json_agg(curve ORDER BY day), '[]') FROM curve),
        'campaigns', (SELECT coalesce(json_agg(cp.name ORDER BY cp.name), '[]') FROM campaign cp
          WHERE cp.workspace_id = ${workspaceId}
            AND EXISTS (SELECT FROM post p WHERE p.campaign_id = cp.id AND p.creator_id = (SELECT id FROM found)))
      ) AS facts`;
  if (!row?.creator) return { creator: null, facts: null };
  return { creator: row.creator, facts: row.postsNotCurrent === 0 ? row.facts : null };
}
