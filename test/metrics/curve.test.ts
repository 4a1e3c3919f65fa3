import { describe, expect, it } from "vitest";
import { buildCurve, engagementsOf, valueAt } from "../../src/metrics/index.ts";
import {
  counters,
  daysAfter,
  givenAt,
  PUBLISHED_AT,
  post,
  snapshotAt,
  workedExamplePost,
} from "./fixtures.ts";

const FAR_FUTURE = new Date("2030-01-01T00:00:00Z");

describe("engagements", () => {
  it("are likes + comments + shares + saves, and views do not count", () => {
    expect(engagementsOf(counters({ likes: 1, comments: 2, shares: 3, saves: 4, views: 1_000 }))).toBe(10);
  });

  it("are the sum of the parts given: shares and saves not given add nothing", () => {
    expect(engagementsOf(givenAt(1, { likes: 5, comments: 2 }))).toBe(7);
  });
});

describe("a counter a snapshot does not give", () => {
  // Likes blank on day 1 and day 7; comments given throughout.
  const curve = buildCurve(
    post([
      givenAt(1, { comments: 10 }),
      givenAt(3, { likes: 90, comments: 10 }),
      givenAt(7, { comments: 10 }),
      givenAt(14, { likes: 300, comments: 10 }),
    ]),
    FAR_FUTURE,
  );

  it("keeps its running maximum so far: a blank is not a fall to 0", () => {
    expect(curve.map((point) => point.counters.likes)).toEqual([null, 90, 90, 300]);
    expect(valueAt(curve, "likes", 7)).toBe(90);
    expect(valueAt(curve, "engagements", 7)).toBe(100);
    expect(valueAt(curve, "likes", 10.5)).toBe(195);
  });

  it("reads 0 before its first value, for interpolation", () => {
    expect(valueAt(curve, "likes", 1)).toBe(0);
    expect(valueAt(curve, "likes", 2)).toBe(45);
  });
});

describe("the engagement curve", () => {
  const curve = buildCurve(workedExamplePost(), FAR_FUTURE);

  it("reads a snapshot's own value exactly at its age", () => {
    expect(valueAt(curve, "engagements", 7)).toBe(240);
    expect(valueAt(curve, "engagements", 28)).toBe(360);
  });

  it("interpolates linearly between two snapshots", () => {
    expect(valueAt(curve, "engagements", 21)).toBe(330);
    expect(valueAt(curve, "engagements", 2)).toBe(140);
  });

  it("rises from zero at publishing to the first snapshot", () => {
    expect(valueAt(curve, "engagements", 0)).toBe(0);
    expect(valueAt(curve, "engagements", 0.5)).toBe(50);
  });

  it("interpolates single counters too", () => {
    expect(valueAt(curve, "clicks", 2)).toBe(40);
    expect(valueAt(curve, "views", 21)).toBe(210_000);
  });

  it("never extrapolates past the last snapshot, nor before publishing", () => {
    expect(valueAt(curve, "engagements", 28.0001)).toBeNull();
    expect(valueAt(curve, "engagements", -1)).toBeNull();
    expect(valueAt([], "engagements", 0)).toBeNull();
  });

  it("sorts snapshots captured out of order", () => {
    const shuffled = post([
      snapshotAt(7, { likes: 7 }),
      snapshotAt(1, { likes: 1 }),
      snapshotAt(3, { likes: 3 }),
    ]);
    expect(buildCurve(shuffled, FAR_FUTURE).map((point) => point.ageDays)).toEqual([1, 3, 7]);
  });

  it("keeps one snapshot per capturedAt: the last one imported", () => {
    const duplicated = post([
      snapshotAt(3, { likes: 1 }),
      snapshotAt(1, { likes: 5 }),
      snapshotAt(3, { likes: 9 }),
    ]);
    const points = buildCurve(duplicated, FAR_FUTURE);
    expect(points.map((point) => [point.ageDays, point.counters.likes])).toEqual([
      [1, 5],
      [3, 9],
    ]);
  });

  it("ignores snapshots captured after `now`", () => {
    const points = buildCurve(workedExamplePost(), daysAfter(PUBLISHED_AT, 10));
    expect(points.map((point) => point.ageDays)).toEqual([1, 3, 7]);
  });

  it("keeps a snapshot captured exactly at `now`", () => {
    expect(buildCurve(workedExamplePost(), daysAfter(PUBLISHED_AT, 7)).at(-1)?.ageDays).toBe(7);
  });

  it("leaves out snapshots captured before publishing", () => {
    const early = post([snapshotAt(-1, { likes: 50 }), snapshotAt(2, { likes: 10 })]);
    expect(buildCurve(early, FAR_FUTURE).map((point) => point.ageDays)).toEqual([2]);
  });

  it("takes a snapshot at the very moment of publishing at face value", () => {
    const atLaunch = buildCurve(
      post([snapshotAt(0, { likes: 10 }), snapshotAt(2, { likes: 30 })]),
      FAR_FUTURE,
    );
    expect(valueAt(atLaunch, "likes", 0)).toBe(10);
    expect(valueAt(atLaunch, "likes", 1)).toBe(20);
  });
});
