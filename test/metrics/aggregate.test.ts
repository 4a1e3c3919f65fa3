import { describe, expect, it } from "vitest";
import {
  aggregatePosts,
  DEFAULT_EMV_RATES,
  earnedMediaValue,
  median,
  postFacts,
  sumFacts,
} from "../../src/metrics/index.ts";
import { daysAfter, givenAt, PUBLISHED_AT, post, snapshotAt, spreadEngagements } from "./fixtures.ts";

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
      given: {
        impressions: 7,
        reach: 7,
        views: 7,
        likes: 7,
        comments: 7,
        shares: 7,
        saves: 7,
        clicks: 7,
        redemptions: 7,
        conversions: 7,
        revenue: 7,
      },
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

describe("counters a platform does not give (blank, not 0)", () => {
  // Instagram gives everything; YouTube gives views, likes and comments only.
  const instagram = post(
    [
      givenAt(7, {
        likes: 300,
        comments: 40,
        shares: 20,
        saves: 40,
        reach: 4_000,
        impressions: 5_000,
        clicks: 50,
      }),
      givenAt(30, {
        likes: 500,
        comments: 60,
        shares: 40,
        saves: 100,
        reach: 8_000,
        impressions: 10_000,
        clicks: 80,
      }),
    ],
    { fee: 400, followers: 20_000 },
  );
  const youtube = post(
    [
      givenAt(7, { views: 9_000, likes: 600, comments: 100 }),
      givenAt(30, { views: 20_000, likes: 900, comments: 100 }),
    ],
    { fee: 600, followers: 30_000 },
  );
  const both = aggregatePosts([instagram, youtube], NOW, DEFAULT_EMV_RATES);
  const youtubeOnly = aggregatePosts([youtube], NOW, DEFAULT_EMV_RATES);

  it("sums E over the parts given, and counts each counter over the posts that give it", () => {
    expect(both.sustained.engagements).toBe(700 + 1_000);
    expect(both.direct.clicks).toBe(80);
    expect(both.direct.impressions).toBe(10_000);
    expect(both.basis.given).toMatchObject({
      likes: 2,
      comments: 2,
      shares: 1,
      saves: 1,
      reach: 1,
      clicks: 1,
    });
  });

  it("pools each rate over the posts that give its inputs", () => {
    expect(both.sustained.engagementRateByReach).toBe(700 / 8_000);
    expect(both.sustained.saveShareRate).toBe(140 / 8_000);
    expect(both.direct.ctr).toBe(80 / 10_000);
    expect(both.direct.cpc).toBe(400 / 80);
    expect(both.sustained.engagementRateByFollowers).toBe(1_700 / 50_000);
    expect(both.sustained.cpe).toBe(1_000 / 1_700);
    // E(28) lies 21/23 of the way from day 7 to day 30 on both posts.
    expect(both.sustained.sustainedEngagements).toBeCloseTo((600 * 21) / 23, 9);
  });

  it("leaves a count no post gives, and a rate whose denominator no post gives, null: never 0 or infinity", () => {
    expect(youtubeOnly.direct).toMatchObject({
      clicks: null,
      impressions: null,
      ctr: null,
      cpc: null,
      roas: null,
    });
    expect(youtubeOnly.direct.conversions).toBeNull();
    expect(youtubeOnly.sustained.engagementRateByReach).toBeNull();
    expect(youtubeOnly.sustained.saveShareRate).toBeNull();
    expect(youtubeOnly.sustained.engagements).toBe(1_000);
    expect(youtubeOnly.sustained.week2Retention).toBeCloseTo((300 * 7) / 23 / 700, 12);
  });

  it("keeps an explicit 0: no clicks on 0 impressions is 0 clicks and no CTR", () => {
    const zero = post([givenAt(5, { clicks: 0, impressions: 0, likes: 0 })]);
    const { direct, sustained } = aggregatePosts([zero], NOW, DEFAULT_EMV_RATES);
    expect(direct.clicks).toBe(0);
    expect(direct.ctr).toBeNull();
    expect(sustained.engagements).toBe(0);
  });

  it("gives a post with no part of E no engagement facts", () => {
    const clicksOnly = post([givenAt(7, { clicks: 10 }), givenAt(30, { clicks: 20 })]);
    const facts = postFacts(clicksOnly, NOW);
    expect(facts.engagementsAt7).toBeNull();
    expect(facts.engagementsAt28).toBeNull();
    expect(facts.halfLifeDays).toBeNull();
    expect(facts.clicksAt3).toBe((10 * 3) / 7);
    const withIt = aggregatePosts([instagram, clicksOnly], NOW, DEFAULT_EMV_RATES);
    const without = aggregatePosts([instagram], NOW, DEFAULT_EMV_RATES);
    // Its clicks are worth something (EMV); its missing engagements move nothing.
    expect({ ...withIt.sustained, emv: 0 }).toEqual({ ...without.sustained, emv: 0 });
    expect(withIt.basis.sustained).toBe(1);
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
