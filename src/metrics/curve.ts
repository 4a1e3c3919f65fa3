import type { Counter, PostInput, Snapshot, SnapshotCounters } from "./types.ts";
import { COUNTERS } from "./types.ts";

export const MS_PER_DAY = 86_400_000;

/** One snapshot placed on the post's timeline; a counter not given so far is null. */
export interface CurvePoint {
  ageDays: number;
  counters: SnapshotCounters;
}

/** Points sorted by age, one per capturedAt, none after `now`. */
export type Curve = readonly CurvePoint[];

/** What `valueAt` reads off the curve: one counter, or engagements E. */
export type Series = Counter | "engagements";

/** The parts of E. Views are not engagements. */
export const ENGAGEMENT_PARTS = ["likes", "comments", "shares", "saves"] as const;

/** E = likes + comments + shares + saves, the sum of the parts given (a part not given adds nothing). */
export function engagementsOf(counters: SnapshotCounters): number {
  return (counters.likes ?? 0) + (counters.comments ?? 0) + (counters.shares ?? 0) + (counters.saves ?? 0);
}

/** Whether any part of E is given: a post none of whose parts is given has no E at all. */
export function engagementsGiven(counters: SnapshotCounters): boolean {
  return ENGAGEMENT_PARTS.some((part) => counters[part] !== null);
}

/** The series' value, a counter not given reading 0 (on the curve: before its first given value). */
export function seriesValue(counters: SnapshotCounters, series: Series): number {
  return series === "engagements" ? engagementsOf(counters) : (counters[series] ?? 0);
}

export function ageInDays(publishedAt: Date, capturedAt: Date): number {
  return (capturedAt.getTime() - publishedAt.getTime()) / MS_PER_DAY;
}

export function countersOf(snapshot: Snapshot): SnapshotCounters {
  const counters = {} as SnapshotCounters;
  for (const counter of COUNTERS) counters[counter] = snapshot[counter];
  return counters;
}

/**
 * The post's curve as of `now`. Snapshots captured before `publishedAt` are left out: the
 * curve starts at (age 0, value 0) and a negative age has no place on it. Each counter is read
 * as its running maximum over capture time, so a counter that fell never makes growth negative;
 * a snapshot that does not give a counter carries its maximum so far (null before its first value).
 */
export function buildCurve(post: PostInput, now: Date): Curve {
  const publishedMs = post.publishedAt.getTime();
  const nowMs = now.getTime();
  const inWindow = post.snapshots.filter((snapshot) => {
    const capturedMs = snapshot.capturedAt.getTime();
    return capturedMs >= publishedMs && capturedMs <= nowMs;
  });
  const points: CurvePoint[] = [];
  for (const snapshot of lastPerCapturedAt(inWindow)) {
    const previous = points.at(-1)?.counters;
    const counters = countersOf(snapshot);
    points.push({
      ageDays: ageInDays(post.publishedAt, snapshot.capturedAt),
      counters: previous === undefined ? counters : runningMaximum(previous, counters),
    });
  }
  return points;
}

/** Each counter at least what it was before: the larger of the two given, counter by counter. */
export function runningMaximum(previous: SnapshotCounters, current: SnapshotCounters): SnapshotCounters {
  const counters = {} as SnapshotCounters;
  for (const counter of COUNTERS) counters[counter] = largerGiven(previous[counter], current[counter]);
  return counters;
}

function largerGiven(previous: number | null, current: number | null): number | null {
  if (previous === null) return current;
  return current === null ? previous : Math.max(previous, current);
}

/** Sorted by capturedAt; of snapshots sharing a capturedAt, the last in input order wins. */
function lastPerCapturedAt(snapshots: readonly Snapshot[]): Snapshot[] {
  const byTime = new Map<number, Snapshot>();
  for (const snapshot of snapshots) byTime.set(snapshot.capturedAt.getTime(), snapshot);
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([, snapshot]) => snapshot);
}

export function observedAgeOf(curve: Curve): number | null {
  return curve.at(-1)?.ageDays ?? null;
}

/**
 * The series at `ageDays`, linearly interpolated between the points around it (from (0, 0)
 * before the first point). Null beyond the last point or before publishing: never extrapolated.
 */
export function valueAt(curve: Curve, series: Series, ageDays: number): number | null {
  const last = curve.at(-1);
  if (last === undefined || ageDays < 0 || ageDays > last.ageDays) return null;
  let previousAge = 0;
  let previousValue = 0;
  for (const point of curve) {
    const value = seriesValue(point.counters, series);
    if (ageDays === point.ageDays) return value;
    if (ageDays < point.ageDays) {
      return interpolate(previousAge, previousValue, point.ageDays, value, ageDays);
    }
    previousAge = point.ageDays;
    previousValue = value;
  }
  return null;
}

function interpolate(
  fromAge: number,
  fromValue: number,
  toAge: number,
  toValue: number,
  age: number,
): number {
  if (toAge === fromAge) return toValue;
  return fromValue + ((toValue - fromValue) * (age - fromAge)) / (toAge - fromAge);
}
