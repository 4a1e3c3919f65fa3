import { Prisma } from "../../generated/prisma/client.ts";
import type { TierBoundaries } from "../../metrics/types.ts";

/** Which posts a query stands on, besides the workspace and `published_at <= now`. */
export interface PostScope {
  creatorIds?: number[];
  campaignId?: number;
  publishedFrom?: Date;
  publishedBefore?: Date;
  tier?: string;
  tierBoundaries?: TierBoundaries;
  /** A further condition on the post's creator `c`. */
  creatorCondition?: Prisma.Sql;
}

/** The tier (src/metrics/tiers.ts) of a followers expression, in SQL. */
export function tierCase(followers: Prisma.Sql, boundaries: TierBoundaries): Prisma.Sql {
  const [microFrom, midAbove, macroFrom, megaFrom] = boundaries;
  return Prisma.sql`CASE WHEN ${followers} < ${microFrom}::int THEN 'nano'
    WHEN ${followers} <= ${midAbove}::int THEN 'micro'
    WHEN ${followers} < ${macroFrom}::int THEN 'mid'
    WHEN ${followers} < ${megaFrom}::int THEN 'macro'
    ELSE 'mega' END`;
}

/** The conditions on `post p JOIN creator c` that select the posts in scope. */
export function scopeConditions(workspaceId: number, now: Date, scope: PostScope): Prisma.Sql {
  const conditions = [Prisma.sql`p.workspace_id = ${workspaceId}`, Prisma.sql`p.published_at <= ${now}`];
  if (scope.creatorIds) conditions.push(Prisma.sql`p.creator_id = ANY(${scope.creatorIds}::int[])`);
  if (scope.campaignId !== undefined) conditions.push(Prisma.sql`p.campaign_id = ${scope.campaignId}`);
  if (scope.publishedFrom) conditions.push(Prisma.sql`p.published_at >= ${scope.publishedFrom}`);
  if (scope.publishedBefore) conditions.push(Prisma.sql`p.published_at < ${scope.publishedBefore}`);
  if (scope.tier) {
    if (!scope.tierBoundaries) throw new Error("A tier scope needs the workspace's tier boundaries");
    conditions.push(Prisma.sql`${tierCase(Prisma.raw("c.followers"), scope.tierBoundaries)} = ${scope.tier}`);
  }
  if (scope.creatorCondition) conditions.push(scope.creatorCondition);
  return Prisma.join(conditions, " AND ");
}

/** CTE `scoped`: the posts in scope, published at or before now, with fee and followers. */
export function scopedPostsCte(workspaceId: number, now: Date, scope: PostScope): Prisma.Sql {
  return Prisma.sql`scoped AS (
  SELECT p.id, p.creator_id, p.campaign_id, p.published_at, p.fee::float8 AS fee, c.followers::float8 AS followers
  FROM post p JOIN creator c ON c.id = p.creator_id
  WHERE ${scopeConditions(workspaceId, now, scope)}
)`;
}
