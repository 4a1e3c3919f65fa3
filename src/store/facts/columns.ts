import { Prisma } from "../../generated/prisma/client.ts";
import { COUNTERS, type PostFacts, type SnapshotCounters } from "../../metrics/types.ts";

/**
 * The per-post facts as SQL columns, one list for the table `post_fact`, the query computing
 * them from snapshots and the mapping back to PostFacts. Counters keep their own names (null: not given).
 */
export const FACT_COLUMNS = [
  "observed_age",
  ...COUNTERS,
  "clicks3",
  "e7",
  "e14",
  "e21",
  "e28",
  "half_life",
] as const;
export type FactColumn = (typeof FACT_COLUMNS)[number];

/** E over the counters of `alias`: the sum of the parts given (src/metrics engagementsOf). */
export function engagementsSql(alias: string): Prisma.Sql {
  return Prisma.raw(
    `(coalesce(${alias}.likes, 0) + coalesce(${alias}.comments, 0) + coalesce(${alias}.shares, 0) + coalesce(${alias}.saves, 0))`,
  );
}

/** Whether `alias` gives any part of E (src/metrics engagementsGiven). */
export function engagementsGivenSql(alias: string): Prisma.Sql {
  return Prisma.raw(
    `coalesce(${alias}.likes, ${alias}.comments, ${alias}.shares, ${alias}.saves) IS NOT NULL`,
  );
}

/** `alias.column, …` for every fact column. */
export function factColumnsOf(alias: string): Prisma.Sql {
  return Prisma.join(FACT_COLUMNS.map((column) => Prisma.raw(`${alias}.${column}`)));
}

/** A row carrying every fact column (as the database returns float8 values). */
export type FactColumns = Record<FactColumn, number | null>;

/** The columns as the PostFacts of src/metrics, with the post's fee and followers. */
export function toPostFacts(row: FactColumns & { fee: number; followers: number }): PostFacts {
  return {
    fee: row.fee,
    followers: row.followers,
    observedAgeDays: row.observed_age,
    latest: row.observed_age === null ? null : latestCounters(row),
    clicksAt3: row.clicks3,
    engagementsAt7: row.e7,
    engagementsAt14: row.e14,
    engagementsAt21: row.e21,
    engagementsAt28: row.e28,
    halfLifeDays: row.half_life,
  };
}

function latestCounters(row: FactColumns): SnapshotCounters {
  const counters = {} as SnapshotCounters;
  for (const counter of COUNTERS) counters[counter] = row[counter];
  return counters;
}
