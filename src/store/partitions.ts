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
  const [from, to] = snapshotMonthsAround(now);
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
