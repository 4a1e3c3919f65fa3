import { Prisma } from "../../generated/prisma/client.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { storedFactsCurrentAt } from "./stored.ts";

/** Two ways to the same CTEs (`scoped` among them): from stored facts alone, and from stored facts or snapshots. */
export interface FactSources {
  stored: Prisma.Sql;
  everything: Prisma.Sql;
}

/**
 * `body` over the CTEs from stored facts alone when every post in `scoped` has facts that hold
 * for `now`, as after any import; else again over the CTEs that compute the others from their
 * snapshots. Planning the snapshot reading (a LATERAL over every partition of metric_snapshot)
 * costs about five times what the rest of such a statement does, so the usual case skips it.
 * `body` may have CTEs of its own; its rows come in no particular order.
 */
export async function queryStoredFactsFirst<Row extends object>(
  db: SqlRunner,
  now: Date,
  sources: FactSources,
  body: Prisma.Sql,
): Promise<Row[]> {
  const rows = await db.$queryRaw<(Row & { storedRow: boolean | null; postsNotCurrent: number })[]>`
    WITH ${sources.stored},
    result AS (SELECT true AS "storedRow", b.* FROM (${body}) b)
    SELECT result.*, (
      SELECT count(*)::int FROM scoped s
      WHERE NOT EXISTS (SELECT FROM post_fact pf WHERE pf.post_id = s.id AND ${storedFactsCurrentAt(Prisma.sql`${now}::timestamptz`)})
    ) AS "postsNotCurrent"
    FROM (SELECT) one LEFT JOIN result ON true`;
  if (rows[0]?.postsNotCurrent !== 0)
    return db.$queryRaw<Row[]>`WITH ${sources.everything} SELECT * FROM (${body}) b`;
  return rows
    .filter((row) => row.storedRow)
    .map(({ storedRow, postsNotCurrent, ...row }) => row as unknown as Row);
}
