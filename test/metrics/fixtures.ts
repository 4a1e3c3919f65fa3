import {
  COUNTERS,
  type Counters,
  type PostInput,
  type Snapshot,
  type SnapshotCounters,
} from "../../src/metrics/index.ts";

export const DAY_MS = 86_400_000;

/** The worked example's publishing moment (PRODUCT.md). */
export const PUBLISHED_AT = new Date("2026-03-01T00:00:00Z");

export function daysAfter(start: Date, days: number): Date {
  return new Date(start.getTime() + days * DAY_MS);
}

export function counters(values: Partial<Counters> = {}): Counters {
  const all = {} as Counters;
  for (const counter of COUNTERS) all[counter] = values[counter] ?? 0;
  return all;
}

export function snapshotAt(
  ageDays: number,
  values: Partial<Counters> = {},
  publishedAt = PUBLISHED_AT,
): Snapshot {
  return { capturedAt: daysAfter(publishedAt, ageDays), ...counters(values) };
}

/** A snapshot that gives only the counters in `values`: the others are blank (null, not given). */
export function givenAt(
  ageDays: number,
  values: Partial<SnapshotCounters>,
  publishedAt = PUBLISHED_AT,
): Snapshot {
  const all = {} as SnapshotCounters;
  for (const counter of COUNTERS) all[counter] = values[counter] ?? null;
  return { capturedAt: daysAfter(publishedAt, ageDays), ...all };
}

/** Counters whose engagements E sum to `total`, spread over likes, comments, shares and saves. */
export function spreadEngagements(total: number, extra: Partial<Counters> = {}): Partial<Counters> {
  const comments = Math.floor(total / 10);
  const shares = Math.floor(total / 10);
  const saves = Math.floor(total / 5);
  return { likes: total - comments - shares - saves, comments, shares, saves, ...extra };
}

export function post(snapshots: Snapshot[], overrides: Partial<PostInput> = {}): PostInput {
  return { publishedAt: PUBLISHED_AT, fee: 200, followers: 20_000, snapshots, ...overrides };
}

/**
 * The worked example of PRODUCT.md: ages 1, 3, 7, 14, 28 → E 100, 180, 240, 300, 360, with big
 * view counts to show views are not engagements, and clicks that stop after day 3.
 */
export function workedExamplePost(): PostInput {
  const curve: [number, number, number][] = [
    [1, 100, 30],
    [3, 180, 50],
    [7, 240, 50],
    [14, 300, 50],
    [28, 360, 50],
  ];
  return post(
    curve.map(([age, engagements, clicks]) =>
      snapshotAt(
        age,
        spreadEngagements(engagements, { views: 10_000 * age, clicks, impressions: 1_000 * age }),
      ),
    ),
  );
}
