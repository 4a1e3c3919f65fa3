import { describe, expect, it } from "vitest";
import {
  aggregatePosts,
  DEFAULT_EMV_RATES,
  earnedMediaValue,
  median,
  postFacts,
  sumFacts,
} from "../../src/metrics/index.ts";
import { daysAfter, PUBLISHED_AT, post, snapshotAt, spreadEngagements } from "./fixtures.ts";

const NOW = daysAfter(PUBLISHED_AT, 60);

describe("pooling over posts", () => {
  // A small post with great ratios and a big post with poor ones.
  const small = post(
    [
      snapshotAt(7, spreadEngagements(100, { clicks: 100, impressions: 1_000, reach: 800 })),
      snapshotAt(14, spreadEngagements(200, { clicks: 100, impressions: 1_000, reach: 800 })),
    ],
    { fee: 100, followers: 10_000 },
  );
  const big = post(
    [
      snapshotAt(7, spreadEngagements(900, { clicks: 90, impressions: 9_000, reach: 7_000 })),
      snapshotAt(14, spreadEngagements(990, { clicks: 90, impressions: 9_000, reach: 7_200 })),
    ],
    { fee: 900, followers: 90_000 },
  );
  const pooled = aggregatePosts([small, big], NOW, DEFAULT_EMV_RATES);

  it("sums the counts", () => {
    expect(pooled.posts).toBe(2);
    expect(pooled.direct).toMatchObject({ clicks: 190, impressions: 10_000, fee: 1_000 });
    expect(pooled.sustained.engagements).toBe(1_190);
  });

  it("pools CTR as total clicks over total impressions, not the mean of 10 % and 1 %", () => {
    expect(pooled.direct.ctr).toBe(190 / 10_000);
  });

  it("pools week-2 retention as Σ(E14 − E7) / ΣE7, not the mean of 100 % and 10 %", () => {
    expect(pooled.sustained.week2Retention).toBe(190 / 1_000);
  });

  it("pools the cost ratios as total fee over total results", () => {
    expect(pooled.direct.cpc).toBe(1_000 / 190);
    expect(pooled.sustained.cpe).toBe(1_000 / 1_190);
  });

  it("pools the engagement rates", () => {
    expect(pooled.sustained.engagementRateByFollowers).toBe(1_190 / 100_000);
    expect(pooled.sustained.engagementRateByReach).toBe(1_190 / 8_000);
    const savesAndShares = 200 / 5 + 200 / 10 + (198 + 99);
    expect(pooled.sustained.saveShareRate).toBe(savesAndShares / 8_000);
  });

  it("values the latest counters at the EMV rates", () => {
    const latest = sumFacts([postFacts(small, NOW), postFacts(big, NOW)]).latest;
    expect(pooled.sustained.emv).toBe(earnedMediaValue(latest, DEFAULT_EMV_RATES));
  });

  it("charges the fee of a post that earned nothing to the cost per engagement", () => {
    const silent = post([snapshotAt(5, { impressions: 10 })], { fee: 100 });
    const engaged = post([snapshotAt(5, { likes: 100 })], { fee: 100 });
    expect(aggregatePosts([silent, engaged], NOW, DEFAULT_EMV_RATES).sustained.cpe).toBe(2);
  });
});

describe("the direct numbers", () => {
  it("give ROAS, CPA and click front-loading, the latter only over posts seen for 3 days", () => {
    const older = post(
      [snapshotAt(3, { clicks: 60 }), snapshotAt(10, { clicks: 80, conversions: 4, revenue: 500 })],
      {
        fee: 100,
      },
    );
    const newborn = post([snapshotAt(1, { clicks: 40, conversions: 1, revenue: 100 })], { fee: 100 });
    const { direct, basis } = aggregatePosts([older, newborn], NOW, DEFAULT_EMV_RATES);
    expect(direct.clickFrontLoading).toBe(60 / 80);
    expect(basis.clickFrontLoading).toBe(1);
    expect(direct.clicks).toBe(120);
    expect(direct.roas).toBe(600 / 200);
    expect(direct.cpa).toBe(200 / 5);
  });

  it("count a post without snapshots in the fee but not in the cost ratios", () => {
    const spent = post([snapshotAt(5, { clicks: 10 })], { fee: 100 });
    const unseen = post([], { fee: 300 });
    const { direct, basis, posts } = aggregatePosts([spent, unseen], NOW, DEFAULT_EMV_RATES);
    expect(posts).toBe(2);
    expect(basis.observed).toBe(1);
    expect(direct.fee).toBe(400);
    expect(direct.cpc).toBe(10);
  });
});

describe("half-life, evergreen posts and the basis", () => {
  const likesCurve = (...points: [number, number][]) =>
    post(points.map(([age, likes]) => snapshotAt(age, { likes })));
  const posts = [
    likesCurve([2, 200], [28, 200]), // half-life 1
    likesCurve([6, 200], [28, 200]), // half-life 3
    likesCurve([8, 200], [28, 200]), // half-life 4
    likesCurve([10, 200], [28, 200]), // half-life 5
    likesCurve([7, 100], [21, 200], [28, 300]), // evergreen, half-life 14
    likesCurve([7, 0], [28, 0]), // nobody engaged: no half-life, not evergreen
    likesCurve([10, 200]), // too young
  ];
  const { sustained, basis } = aggregatePosts(posts, NOW, DEFAULT_EMV_RATES);

  it("takes the median half-life over the posts that have one", () => {
    expect(sustained.halfLifeDays).toBe(4);
    expect(aggregatePosts(posts.slice(0, 4), NOW, DEFAULT_EMV_RATES).sustained.halfLifeDays).toBe(3.5);
  });

  it("counts evergreen posts, and never a post nobody engaged with", () => {
    expect(sustained.evergreenPosts).toBe(1);
  });

  it("says how many posts each metric stands on", () => {
    expect(basis).toEqual({
      observed: 7,
      clickFrontLoading: 7,
      week2Retention: 5,
      longevity: 5,
      sustained: 6,
      halfLife: 5,
    });
  });

  it("leaves every ratio of an empty group null", () => {
    const empty = aggregatePosts([], NOW, DEFAULT_EMV_RATES);
    expect(empty.posts).toBe(0);
    expect(empty.direct.ctr).toBeNull();
    expect(empty.direct.cpc).toBeNull();
    expect(empty.sustained.week2Retention).toBeNull();
    expect(empty.sustained.sustainedEngagements).toBeNull();
    expect(empty.sustained.halfLifeDays).toBeNull();
    expect(empty.sustained.emv).toBe(0);
  });
});

describe("median", () => {
  it("is the middle value, or the mean of the two middle values", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });
});
