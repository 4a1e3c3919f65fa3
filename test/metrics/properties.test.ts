import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Aggregate,
  aggregatePosts,
  buildCurve,
  COUNTERS,
  type Counters,
  DEFAULT_EMV_RATES,
  engagementsGiven,
  engagementsOf,
  HORIZON_DAYS,
  type PostInput,
  postFacts,
  type Series,
  type Snapshot,
  type SnapshotCounters,
  valueAt,
} from "../../src/metrics/index.ts";
import { DAY_MS } from "./fixtures.ts";

const RUNS = { numRuns: 300 };

/** A counter increment between two snapshots: often nothing, otherwise a modest count. */
const increment = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000 }));
const increments = fc.record(
  Object.fromEntries(COUNTERS.map((counter) => [counter, increment])) as {
    [K in keyof Counters]: fc.Arbitrary<number>;
  },
);

/** Capture times (ms after publishing, up to 40 days) in random input order, none repeated. */
const captureOffsets = fc.uniqueArray(fc.integer({ min: 0, max: 40 * DAY_MS }), { maxLength: 30 });

/** Counters left blank: usually none, otherwise any of them (a platform that never gives some). */
const blankCounters = fc.oneof(fc.constant([]), fc.subarray([...COUNTERS]));

/**
 * A random post whose counters never decrease, with its snapshots in random input order; some
 * counters never given (blank in every snapshot) and some blank in single snapshots.
 */
const arbitraryPost: fc.Arbitrary<PostInput> = fc
  .record({
    publishedMs: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 0, 1) }),
    fee: fc.integer({ min: 0, max: 5_000 }),
    followers: fc.integer({ min: 0, max: 2_000_000 }),
    offsets: captureOffsets,
    steps: fc.array(increments, { minLength: 30, maxLength: 30 }),
    neverGiven: blankCounters,
    blankInSnapshot: fc.array(blankCounters, { minLength: 30, maxLength: 30 }),
  })
  .map(({ publishedMs, fee, followers, offsets, steps, neverGiven, blankInSnapshot }) => {
    const cumulative = cumulativeCounters(
      [...offsets].sort((a, b) => a - b),
      steps,
    );
    return {
      publishedAt: new Date(publishedMs),
      fee,
      followers,
      snapshots: offsets.map((offset, i) => ({
        capturedAt: new Date(publishedMs + offset),
        ...blanked(cumulative.get(offset) as Counters, [...neverGiven, ...(blankInSnapshot[i] ?? [])]),
      })),
    };
  });

function blanked(counters: Counters, blank: readonly string[]): SnapshotCounters {
  const given: SnapshotCounters = { ...counters };
  for (const counter of COUNTERS) if (blank.includes(counter)) given[counter] = null;
  return given;
}

function cumulativeCounters(sortedOffsets: number[], steps: Counters[]): Map<number, Counters> {
  const running = Object.fromEntries(COUNTERS.map((counter) => [counter, 0])) as Counters;
  const byOffset = new Map<number, Counters>();
  sortedOffsets.forEach((offset, index) => {
    for (const counter of COUNTERS) running[counter] += (steps[index] as Counters)[counter];
    byOffset.set(offset, { ...running });
  });
  return byOffset;
}

/** A post with a `now` anywhere from just before publishing to well past the last snapshot. */
const postAsOf = fc
  .tuple(arbitraryPost, fc.integer({ min: -DAY_MS, max: 45 * DAY_MS }))
  .map(([post, nowOffset]) => ({
    post,
    now: new Date(post.publishedAt.getTime() + nowOffset),
  }));

function observedAge({ post, now }: { post: PostInput; now: Date }): number | null {
  const ages = post.snapshots
    .filter((snapshot: Snapshot) => snapshot.capturedAt <= now)
    .map((snapshot) => (snapshot.capturedAt.getTime() - post.publishedAt.getTime()) / DAY_MS);
  return ages.length === 0 ? null : Math.max(...ages);
}

const observedFor = (age: number | null, days: number) => age !== null && age >= days;

/** Whether any snapshot of the post up to `now` gives the counter. */
function givenUpTo({ post, now }: { post: PostInput; now: Date }, counter: keyof Counters): boolean {
  return post.snapshots.some((snapshot) => snapshot.capturedAt <= now && snapshot[counter] !== null);
}

describe("metrics wait for enough history, and for counters that are given", () => {
  it("are null exactly when the post has not been observed long enough, or their counters are not given", () => {
    fc.assert(
      fc.property(postAsOf, (sample) => {
        const age = observedAge(sample);
        const facts = postFacts(sample.post, sample.now);
        const { sustained } = aggregatePosts([sample.post], sample.now, DEFAULT_EMV_RATES);
        const clicks = givenUpTo(sample, "clicks");
        const e = (["likes", "comments", "shares", "saves"] as const).some((part) => givenUpTo(sample, part));
        const eFor = (days: number) => e && observedFor(age, days);
        expect(facts.observedAgeDays).toBe(age);
        expect(facts.latest === null).toBe(age === null);
        for (const counter of COUNTERS) {
          if (age !== null) expect(facts.latest?.[counter] === null).toBe(!givenUpTo(sample, counter));
        }
        expect(facts.clicksAt3 === null).toBe(!clicks || !observedFor(age, 3));
        expect(facts.engagementsAt7 === null).toBe(!eFor(7));
        expect(facts.engagementsAt14 === null).toBe(!eFor(14));
        expect(facts.engagementsAt21 === null).toBe(!eFor(21));
        expect(facts.engagementsAt28 === null).toBe(!eFor(28));
        expect(facts.halfLifeDays === null).toBe(!eFor(28) || facts.engagementsAt28 === 0);
        expect(sustained.week2Retention === null).toBe(!eFor(14) || facts.engagementsAt7 === 0);
        expect(sustained.longevity === null).toBe(!eFor(28) || facts.engagementsAt28 === 0);
        expect(sustained.sustainedEngagements === null).toBe(!eFor(28));
        expect(sustained.engagements === null).toBe(!e || age === null);
      }),
      RUNS,
    );
  });
});

describe("the curve", () => {
  const series = fc.constantFrom<Series>("engagements", ...COUNTERS);
  const fraction = fc.double({ min: 0, max: 1, noNaN: true });

  it("never goes down between two ages when the counters never do", () => {
    fc.assert(
      fc.property(postAsOf, series, fraction, fraction, (sample, which, first, second) => {
        const age = observedAge(sample);
        fc.pre(age !== null);
        const curve = buildCurve(sample.post, sample.now);
        const [earlier, later] = [first, second].sort((a, b) => a - b) as [number, number];
        const before = valueAt(curve, which, earlier * (age as number)) as number;
        const after = valueAt(curve, which, later * (age as number)) as number;
        expect(before).not.toBeNull();
        expect(after).toBeGreaterThanOrEqual(before);
      }),
      RUNS,
    );
  });

  it("gives the same facts whatever order the snapshots arrive in", () => {
    const shuffledSample = postAsOf.chain((sample) =>
      fc
        .shuffledSubarray(sample.post.snapshots, {
          minLength: sample.post.snapshots.length,
          maxLength: sample.post.snapshots.length,
        })
        .map((snapshots) => ({ ...sample, shuffled: { ...sample.post, snapshots } })),
    );
    fc.assert(
      fc.property(shuffledSample, ({ post, shuffled, now }) => {
        expect(postFacts(shuffled, now)).toEqual(postFacts(post, now));
      }),
      RUNS,
    );
  });
});

describe("engagement half-life", () => {
  it("is the first moment within 28 days that reaches half of E(28)", () => {
    fc.assert(
      fc.property(postAsOf, (sample) => {
        const facts = postFacts(sample.post, sample.now);
        fc.pre(facts.halfLifeDays !== null);
        const halfLife = facts.halfLifeDays as number;
        const curve = buildCurve(sample.post, sample.now);
        const target = 0.5 * (valueAt(curve, "engagements", HORIZON_DAYS) as number);
        const tolerance = 1e-9 * target;
        expect(halfLife).toBeGreaterThanOrEqual(0);
        expect(halfLife).toBeLessThanOrEqual(HORIZON_DAYS);
        expect(valueAt(curve, "engagements", halfLife) as number).toBeGreaterThanOrEqual(target - tolerance);
        if (halfLife > 0) {
          const justBefore = Math.max(0, halfLife - 1e-6);
          expect(valueAt(curve, "engagements", justBefore) as number).toBeLessThan(target);
        }
      }),
      RUNS,
    );
  });
});

describe("pooled ratios", () => {
  type Ratio = (aggregate: Aggregate) => number | null;
  const group = fc.tuple(
    fc.array(arbitraryPost, { minLength: 1, maxLength: 6 }),
    fc.integer({ min: 0, max: 45 * DAY_MS }),
  );

  /** Every post in the group with its own value of the ratio, and the group's pooled value. */
  function pooledAndPerPost(posts: PostInput[], nowOffset: number, ratio: Ratio) {
    const now = new Date(Math.max(...posts.map((post) => post.publishedAt.getTime())) + nowOffset);
    const perPost = posts
      .map((post) => ratio(aggregatePosts([post], now, DEFAULT_EMV_RATES)))
      .filter((value): value is number => value !== null);
    return { now, perPost, pooled: ratio(aggregatePosts(posts, now, DEFAULT_EMV_RATES)) };
  }

  function expectBetweenPerPostExtremes(perPost: number[], pooled: number | null): void {
    if (perPost.length === 0) {
      expect(pooled).toBeNull();
      return;
    }
    const [lowest, highest] = [Math.min(...perPost), Math.max(...perPost)];
    const slack = 1e-9 * Math.max(1, Math.abs(lowest), Math.abs(highest));
    expect(pooled).not.toBeNull();
    expect(pooled as number).toBeGreaterThanOrEqual(lowest - slack);
    expect(pooled as number).toBeLessThanOrEqual(highest + slack);
  }

  it.each<[string, Ratio]>([
    ["week-2 retention", (aggregate) => aggregate.sustained.week2Retention],
    ["longevity", (aggregate) => aggregate.sustained.longevity],
  ])("%s lies between the lowest and highest post", (_name, ratio) => {
    fc.assert(
      fc.property(group, ([posts, nowOffset]) => {
        const { perPost, pooled } = pooledAndPerPost(posts, nowOffset, ratio);
        expectBetweenPerPostExtremes(perPost, pooled);
      }),
      RUNS,
    );
  });

  // CTR and CPE pool the posts that give their inputs: one with a numerator but a denominator of 0
  // (clicks on 0 impressions, a fee on 0 engagements) has no ratio of its own yet moves the pool.
  // One whose inputs are not given (blank, not 0) stays out of the pool.
  it.each<[string, Ratio, (latest: SnapshotCounters, fee: number) => boolean]>([
    [
      "CTR",
      (aggregate) => aggregate.direct.ctr,
      ({ clicks, impressions }) => clicks === null || impressions === null || impressions > 0 || clicks === 0,
    ],
    [
      "CPE",
      (aggregate) => aggregate.sustained.cpe,
      (latest, fee) => !engagementsGiven(latest) || engagementsOf(latest) > 0 || fee === 0,
    ],
  ])("%s lies between the lowest and highest post where every post has one", (_name, ratio, defined) => {
    fc.assert(
      fc.property(group, ([posts, nowOffset]) => {
        const { now, perPost, pooled } = pooledAndPerPost(posts, nowOffset, ratio);
        fc.pre(
          posts.every((post) => {
            const latest = postFacts(post, now).latest;
            return latest === null || defined(latest, post.fee);
          }),
        );
        expectBetweenPerPostExtremes(perPost, pooled);
      }),
      RUNS,
    );
  });
});
