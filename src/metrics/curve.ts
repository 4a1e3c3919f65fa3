import type { Counter, Counters, PostInput, Snapshot } from "./types.ts";
import { COUNTERS } from "./types.ts";

const MS_PER_DAY = 86_400_000;

/** One snapshot placed on the post's timeline. */
export interface CurvePoint {
  ageDays: number;
  counters: Counters;
}

/** Points sorted by age, one per capturedAt, none after `now`. */
export type Curve = readonly CurvePoint[];

/** What `valueAt` reads off the curve: one counter, or engagements E. */
export type Series = Counter | "engagements";

/** E = likes + comments + shares + saves. Views are not engagements. */
export function engagementsOf(counters: Counters): number {
  return counters.likes + counters.comments + counters.shares + counters.saves;
}

export function seriesValue(counters: Counters, series: Series): number {
  return series === "engagements" ? engagementsOf(counters) : counters[series];
}

export function ageInDays(publishedAt: Date, capturedAt: Date): number {
  return (capturedAt.getTime() - publishedAt.getTime()) / MS_PER_DAY;
}

export function countersOf(snapshot: Snapshot): Counters {
  const counters = {} as Counters;
  for (const counter of COUNTERS) counters[counter] = snapshot[counter];
  return counters;
}

/**
 * The post's curve as of `now`. Snapshots captured before `publishedAt` are left out: the
 * curve starts at (age 0, value 0) and a negative age has no place on it. Each counter is read
 * as its running maximum over capture time, so a counter that fell never makes growth negative.
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

/** Each counter at least what it was before: the larger of the two, counter by counter. */
export function runningMaximum(previous: Counters, current: Counters): Counters {
  const counters = {} as Counters;
  for (const counter of COUNTERS) counters[counter] = Math.max(previous[counter], current[counter]);
  return counters;
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
