import { Prisma } from "../../generated/prisma/client.ts";
import type { PostFacts } from "../../metrics/types.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { type FactColumns, toPostFacts } from "./columns.ts";
import type { PostScope } from "./scope.ts";
import { factsCtes } from "./stored.ts";

/** PRODUCT.md's evergreen rule over a `facts` row (and E(28) > 0: no engagement is not evergreen). */
export const EVERGREEN_SQL = Prisma.sql`e28 > 0 AND e28 - e21 >= 0.25 * e7`;

export interface PostFactsRow extends PostFacts {
  postId: number;
  creatorId: number;
  campaignId: number | null;
  publishedAt: Date;
}

type RawFactsRow = FactColumns & {
  postId: number;
  creatorId: number;
  campaignId: number | null;
  publishedAt: Date;
  fee: number;
  followers: number;
};

/** One PostFacts row per post in scope, as of `now`; with `evergreenOnly`, just the evergreen ones. */
export async function queryPostFacts(
  db: SqlRunner,
  workspaceId: number,
  now: Date,
  scope: PostScope = {},
  options: { evergreenOnly?: boolean } = {},
): Promise<PostFactsRow[]> {
  const where = options.evergreenOnly ? Prisma.sql`WHERE ${EVERGREEN_SQL}` : Prisma.empty;
  const rows = await db.$queryRaw<RawFactsRow[]>`
    WITH ${factsCtes(workspaceId, now, scope)}
    SELECT *, id AS "postId", creator_id AS "creatorId", campaign_id AS "campaignId", published_at AS "publishedAt"
    FROM facts ${where} ORDER BY id`;
  return rows.map((row) => ({
    postId: row.postId,
    creatorId: row.creatorId,
    campaignId: row.campaignId,
    publishedAt: row.publishedAt,
    ...toPostFacts(row),
  }));
}
