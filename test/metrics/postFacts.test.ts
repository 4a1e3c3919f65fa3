import { describe, expect, it } from "vitest";
import { aggregatePosts, DEFAULT_EMV_RATES, halfLifeDays, postFacts } from "../../src/metrics/index.ts";
import {
  daysAfter,
  PUBLISHED_AT,
  post,
  snapshotAt,
  spreadEngagements,
  workedExamplePost,
} from "./fixtures.ts";

const AFTER_FOUR_WEEKS = daysAfter(PUBLISHED_AT, 40);

describe("the PRODUCT.md worked example", () => {
  const facts = postFacts(workedExamplePost(), AFTER_FOUR_WEEKS);
  const { sustained, direct } = aggregatePosts([workedExamplePost()], AFTER_FOUR_WEEKS, DEFAULT_EMV_RATES);

  it("reads E(7), E(14), E(21), E(28) off the curve", () => {
    expect(facts.engagementsAt7).toBe(240);
    expect(facts.engagementsAt14).toBe(300);
    expect(facts.engagementsAt21).toBe(330);
    expect(facts.engagementsAt28).toBe(360);
  });

  it("has week-2 retention 0.25 and longevity one third", () => {
    expect(sustained.week2Retention).toBe(0.25);
    expect(sustained.longevity).toBeCloseTo(1 / 3, 12);
  });

  it("has a half-life of exactly 3 days", () => {
    expect(facts.halfLifeDays).toBe(3);
    expect(sustained.halfLifeDays).toBe(3);
  });

  it("is not evergreen: week 4 brought 30, less than a quarter of week 1's 240", () => {
    expect(sustained.evergreenPosts).toBe(0);
  });

  it("costs 200 / 120 per sustained engagement", () => {
    expect(sustained.sustainedEngagements).toBe(120);
    expect(sustained.costPerSustainedEngagement).toBe(200 / 120);
  });

  it("counts engagements without views and reads the direct numbers from the latest snapshot", () => {
    expect(sustained.engagements).toBe(360);
    expect(direct.clicks).toBe(50);
    expect(direct.cpc).toBe(4);
    expect(facts.clicksAt3).toBe(50);
    expect(direct.clickFrontLoading).toBe(1);
  });

  it("reports how long the post has been observed and its latest counters", () => {
    expect(facts.observedAgeDays).toBe(28);
    expect(facts.latest?.likes).toBe(360 - 36 - 36 - 72);
    expect(facts.fee).toBe(200);
    expect(facts.followers).toBe(20_000);
  });
});

describe("facts as of a moment", () => {
  it("on day 10 know the first week only: no week-2, longevity or half-life yet", () => {
    const facts = postFacts(workedExamplePost(), daysAfter(PUBLISHED_AT, 10));
    expect(facts).toMatchObject({
      observedAgeDays: 7,
      clicksAt3: 50,
      engagementsAt7: 240,
      engagementsAt14: null,
      engagementsAt21: null,
      engagementsAt28: null,
      halfLifeDays: null,
    });
    const { sustained } = aggregatePosts(
      [workedExamplePost()],
      daysAfter(PUBLISHED_AT, 10),
      DEFAULT_EMV_RATES,
    );
    expect(sustained.week2Retention).toBeNull();
    expect(sustained.longevity).toBeNull();
    expect(sustained.sustainedEngagements).toBeNull();
    expect(sustained.engagements).toBe(240);
  });

  it("on day 14 know week-2 retention but not longevity", () => {
    const now = daysAfter(PUBLISHED_AT, 14);
    const { sustained } = aggregatePosts([workedExamplePost()], now, DEFAULT_EMV_RATES);
    expect(sustained.week2Retention).toBe(0.25);
    expect(sustained.longevity).toBeNull();
    expect(postFacts(workedExamplePost(), now).engagementsAt21).toBeNull();
  });

  it("before any snapshot know nothing but fee and followers", () => {
    expect(postFacts(workedExamplePost(), daysAfter(PUBLISHED_AT, 0.5))).toEqual({
      fee: 200,
      followers: 20_000,
      observedAgeDays: null,
      latest: null,
      clicksAt3: null,
      engagementsAt7: null,
      engagementsAt14: null,
      engagementsAt21: null,
      engagementsAt28: null,
      halfLifeDays: null,
    });
  });

  it("give the same facts whatever order the snapshots arrive in", () => {
    const inOrder = workedExamplePost();
    const reversed = { ...inOrder, snapshots: [...inOrder.snapshots].reverse() };
    expect(postFacts(reversed, AFTER_FOUR_WEEKS)).toEqual(postFacts(inOrder, AFTER_FOUR_WEEKS));
  });

  it("use the last import of a re-imported snapshot", () => {
    const example = workedExamplePost();
    const corrected = {
      ...example,
      snapshots: [...example.snapshots, snapshotAt(28, spreadEngagements(400))],
    };
    expect(postFacts(corrected, AFTER_FOUR_WEEKS).engagementsAt28).toBe(400);
  });
});

describe("nothing is extrapolated", () => {
  const stoppedAtDay20 = post([
    snapshotAt(2, spreadEngagements(100, { clicks: 10 })),
    snapshotAt(20, spreadEngagements(300, { clicks: 12 })),
  ]);

  it("leaves every number needing an age past the last snapshot null", () => {
    const facts = postFacts(stoppedAtDay20, AFTER_FOUR_WEEKS);
    expect(facts.observedAgeDays).toBe(20);
    expect(facts.clicksAt3).not.toBeNull();
    expect(facts.engagementsAt7).not.toBeNull();
    expect(facts.engagementsAt14).not.toBeNull();
    expect(facts.engagementsAt21).toBeNull();
    expect(facts.engagementsAt28).toBeNull();
    expect(facts.halfLifeDays).toBeNull();
  });

  it("reports no longevity, sustained engagements or evergreen status", () => {
    const { sustained, basis } = aggregatePosts([stoppedAtDay20], AFTER_FOUR_WEEKS, DEFAULT_EMV_RATES);
    expect(sustained.longevity).toBeNull();
    expect(sustained.sustainedEngagements).toBeNull();
    expect(sustained.costPerSustainedEngagement).toBeNull();
    expect(sustained.halfLifeDays).toBeNull();
    expect(sustained.evergreenPosts).toBe(0);
    expect(basis).toMatchObject({ observed: 1, week2Retention: 1, longevity: 0, sustained: 0, halfLife: 0 });
  });

  it("treats a post seen only until day 27.9 as too young for the 28-day metrics", () => {
    const facts = postFacts(post([snapshotAt(27.9, spreadEngagements(100))]), AFTER_FOUR_WEEKS);
    expect(facts.engagementsAt21).not.toBeNull();
    expect(facts.engagementsAt28).toBeNull();
  });
});

describe("engagement half-life", () => {
  const halfLifeOf = (...points: [number, number][]) =>
    postFacts(post(points.map(([age, e]) => snapshotAt(age, { likes: e }))), AFTER_FOUR_WEEKS).halfLifeDays;

  it("is solved exactly between snapshots", () => {
    expect(halfLifeOf([4, 100], [28, 400])).toBe(4 + (100 / 300) * 24);
  });

  it("is found on the rise from publishing to the first snapshot", () => {
    expect(halfLifeOf([2, 300], [28, 400])).toBe(2 * (200 / 300));
  });

  it("is read off a straight line up to the interpolated E(28)", () => {
    // On the line from (0, 0) to (40, 200), E(28) = 140, so half is 70: reached at day 14.
    expect(halfLifeOf([40, 200])).toBe(14);
  });

  it("is the first crossing when the data dips back below half", () => {
    expect(halfLifeOf([2, 100], [5, 40], [10, 100], [28, 100])).toBe(1);
  });

  it("is absent for a post nobody engaged with", () => {
    expect(halfLifeOf([7, 0], [28, 0])).toBeNull();
  });

  it("is null on an empty curve", () => {
    expect(halfLifeDays([])).toBeNull();
  });
});

describe("counters that fall are read as their running maximum (PRODUCT.md)", () => {
  // likes 1000 → 10 → 1: an unlike wave or a wrong row must not make growth negative.
  const falling = post([
    snapshotAt(7, { likes: 1000, clicks: 40 }),
    snapshotAt(14, { likes: 10, clicks: 5 }),
    snapshotAt(28, { likes: 1, clicks: 2 }),
  ]);
  const facts = postFacts(falling, AFTER_FOUR_WEEKS);
  const { sustained, direct } = aggregatePosts([falling], AFTER_FOUR_WEEKS, DEFAULT_EMV_RATES);

  it("keeps E(7), E(14), E(28) and the latest counters at the highest value seen", () => {
    expect(facts.engagementsAt7).toBe(1000);
    expect(facts.engagementsAt14).toBe(1000);
    expect(facts.engagementsAt28).toBe(1000);
    expect(facts.latest?.likes).toBe(1000);
    expect(facts.latest?.clicks).toBe(40);
  });

  it("gives zero sustained engagements, retention and longevity, never negative ones", () => {
    expect(sustained.sustainedEngagements).toBe(0);
    expect(sustained.week2Retention).toBe(0);
    expect(sustained.longevity).toBe(0);
    expect(direct.clicks).toBe(40);
  });

  it("reaches half of E(28) within the first week", () => {
    expect(facts.halfLifeDays).toBe(3.5);
  });

  it("takes the maximum counter by counter, so a fall in one counter is not offset by another", () => {
    const mixed = post([
      snapshotAt(7, { likes: 100, comments: 0 }),
      snapshotAt(28, { likes: 50, comments: 30 }),
    ]);
    expect(postFacts(mixed, AFTER_FOUR_WEEKS).engagementsAt28).toBe(130);
  });

  it("uses only snapshots up to now for the maximum", () => {
    const earlier = post([
      snapshotAt(7, { likes: 10 }),
      snapshotAt(14, { likes: 20 }),
      snapshotAt(20, { likes: 5 }),
    ]);
    expect(postFacts(earlier, daysAfter(PUBLISHED_AT, 15)).latest?.likes).toBe(20);
  });
});
