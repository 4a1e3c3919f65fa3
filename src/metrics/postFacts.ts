import {
  buildCurve,
  type Curve,
  engagementsGiven,
  engagementsOf,
  observedAgeOf,
  type Series,
  valueAt,
} from "./curve.ts";
import { HORIZON_DAYS, type PostFacts, type PostInput } from "./types.ts";

/**
 * Everything the aggregates pool, for one post as of `now`. The facts of clicks, or of E, are
 * null when the post's snapshots never gave clicks, or any part of E: not given is not 0.
 */
export function postFacts(post: PostInput, now: Date): PostFacts {
  const curve = buildCurve(post, now);
  const latest = curve.at(-1)?.counters ?? null;
  const clicksGiven = latest !== null && latest.clicks !== null;
  const eGiven = latest !== null && engagementsGiven(latest);
  const at = (series: Series, given: boolean, ageDays: number) =>
    given ? valueAt(curve, series, ageDays) : null;
  return {
    fee: post.fee,
    followers: post.followers,
    observedAgeDays: observedAgeOf(curve),
    latest: latest === null ? null : { ...latest },
    clicksAt3: at("clicks", clicksGiven, 3),
    engagementsAt7: at("engagements", eGiven, 7),
    engagementsAt14: at("engagements", eGiven, 14),
    engagementsAt21: at("engagements", eGiven, 21),
    engagementsAt28: at("engagements", eGiven, HORIZON_DAYS),
    halfLifeDays: eGiven ? halfLifeDays(curve) : null,
  };
}

/**
 * The smallest t in [0, 28] with E(t) ≥ E(28) / 2, solved exactly on the piecewise-linear
 * curve. Null when not observed for 28 days, or when E(28) = 0 (no engagement, no half-life).
 */
export function halfLifeDays(curve: Curve): number | null {
  const engagementsAtHorizon = valueAt(curve, "engagements", HORIZON_DAYS);
  if (engagementsAtHorizon === null || engagementsAtHorizon === 0) return null;
  const target = 0.5 * engagementsAtHorizon;

  let previousAge = 0;
  let previousValue = 0;
  for (const [age, value] of horizonVertices(curve, engagementsAtHorizon)) {
    if (value >= target) {
      if (previousValue >= target) return previousAge;
      return previousAge + ((target - previousValue) / (value - previousValue)) * (age - previousAge);
    }
    previousAge = age;
    previousValue = value;
  }
  return null;
}

/** The engagement curve's vertices after the origin: points younger than 28 days, then (28, E(28)). */
function horizonVertices(curve: Curve, engagementsAtHorizon: number): [number, number][] {
  const vertices: [number, number][] = curve
    .filter((point) => point.ageDays < HORIZON_DAYS)
    .map((point) => [point.ageDays, engagementsOf(point.counters)]);
  vertices.push([HORIZON_DAYS, engagementsAtHorizon]);
  return vertices;
}
