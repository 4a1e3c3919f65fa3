import type { SqlRunner } from "./sqlRunner.ts";

/** How far back and ahead of the clock each store opening makes metric_snapshot's month partitions. */
const MONTHS_BACK = 12;
const MONTHS_AHEAD = 2;

/**
 * Makes metric_snapshot's missing month partitions (UTC calendar months) from MONTHS_BACK before
 * `now` to MONTHS_AHEAD after it, moving any of their rows out of the DEFAULT partition. Snapshots
 * of other months are stored in DEFAULT: correct, only not pruned by month. Returns how many
 * months it made.
 */
export async function ensureSnapshotMonths(db: SqlRunner, now: Date): Promise<number> {
  return makeMonths(db, snapshotMonthsAround(now));
}

/**
 * The same for only the months from `now`'s to MONTHS_AHEAD after it: what a process that has
 * been running since an earlier month needs (the months before were made when it opened the store).
 */
export function ensureSnapshotMonthsAhead(db: SqlRunner, now: Date): Promise<number> {
  const [, to] = snapshotMonthsAround(now);
  return makeMonths(db, [new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), to]);
}

async function makeMonths(db: SqlRunner, [from, to]: [Date, Date]): Promise<number> {
  const [row] = await db.$queryRaw<{ made: number }[]>`
    SELECT ensure_metric_snapshot_months(${from}::timestamptz, ${to}::timestamptz) AS made`;
  return row?.made ?? 0;
}

/** The first moments of the first and the last month ensureSnapshotMonths makes for `now`. */
export function snapshotMonthsAround(now: Date): [Date, Date] {
  return [
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - MONTHS_BACK, 1)),
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + MONTHS_AHEAD, 1)),
  ];
}
