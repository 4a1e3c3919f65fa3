import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TIER_BOUNDARIES, postFacts, sumFacts, tierOf } from "../../src/metrics/index.ts";
import type { PostInput, Snapshot } from "../../src/metrics/types.ts";
import type { Store } from "../../src/store/database.ts";
import { queryEngagementCurve, queryFactSums, queryPostFacts } from "../../src/store/postFacts.ts";
import { openTestStore } from "../support/store.ts";

const DAY = 86_400_000;
const NOW = new Date("2026-06-01T00:00:00Z");

interface GeneratedPost extends PostInput {
  creator: number;
}

/** Random posts with irregular, out-of-order snapshots, some after NOW, some posts too young. */
const postArbitrary = fc
  .record({
    creator: fc.integer({ min: 0, max: 5 }),
    publishedDaysAgo: fc.double({ min: 0, max: 90, noNaN: true }),
    fee: fc.integer({ min: 0, max: 5000 }),
    snapshotAgesInMinutes: fc.uniqueArray(fc.integer({ min: 0, max: 100 * 1440 }), { maxLength: 12 }),
    growth: fc.array(fc.nat({ max: 400 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ creator, publishedDaysAgo, fee, snapshotAgesInMinutes, growth }): GeneratedPost => {
    const publishedAt = new Date(Math.round(NOW.getTime() - publishedDaysAgo * DAY));
    const sorted = [...snapshotAgesInMinutes].sort((a, b) => a - b);
    let total = 0;
    const snapshots: Snapshot[] = sorted.map((age, i) => {
      total += growth[i] ?? 0;
      return {
        capturedAt: new Date(publishedAt.getTime() + age * 60_000),
        impressions: total * 20,
        reach: total * 10,
        views: total * 3,
        likes: total,
        comments: Math.floor(total / 4),
        shares: Math.floor(total / 7),
        saves: Math.floor(total / 5),
        clicks: Math.floor(total / 3),
        redemptions: Math.floor(total / 50),
        conversions: Math.floor(total / 40),
        revenue: Math.floor(total / 40) * 19.5,
      };
    });
    return { creator, publishedAt, fee, followers: 0, snapshots: snapshots.reverse() };
  });

const FOLLOWERS = [800, 12_000, 50_000, 120_000, 600_000, 2_000_000];

describe("the SQL path computes the metric contract exactly as src/metrics does", () => {
  let store: Store;
  let workspaceId: number;
  let posts: (GeneratedPost & { id: number })[];

  beforeAll(async () => {
    store = await openTestStore();
    const { prisma } = store;
    const workspace = await prisma.workspace.create({ data: { slug: "facts", name: "Facts" } });
    workspaceId = workspace.id;
    const creators = await Promise.all(
      FOLLOWERS.map((followers, i) =>
        prisma.creator.create({ data: { workspaceId, platform: "instagram", handle: `c${i}`, followers } }),
      ),
    );
    const generated = fc.sample(postArbitrary, { numRuns: 120, seed: 42 });
    posts = [];
    for (const [i, post] of generated.entries()) {
      const creator = creators[post.creator];
      if (!creator) throw new Error("no creator");
      const row = await prisma.post.create({
        data: {
          workspaceId,
          creatorId: creator.id,
          platform: "instagram",
          externalId: `p${i}`,
          publishedAt: post.publishedAt,
          fee: post.fee,
        },
      });
      await prisma.metricSnapshot.createMany({
        data: post.snapshots.map((s) => ({
          postId: row.id,
          capturedAt: s.capturedAt,
          impressions: BigInt(s.impressions),
          reach: BigInt(s.reach),
          views: BigInt(s.views),
          likes: BigInt(s.likes),
          comments: BigInt(s.comments),
          shares: BigInt(s.shares),
          saves: BigInt(s.saves),
          clicks: BigInt(s.clicks),
          redemptions: BigInt(s.redemptions),
          conversions: BigInt(s.conversions),
          revenue: s.revenue,
        })),
      });
      posts.push({ ...post, followers: creator.followers, id: row.id });
    }
  });

  afterAll(async () => {
    await store?.close();
  });

  it("gives every post the same facts as the pure functions", async () => {
    const rows = await queryPostFacts(store.prisma, workspaceId, NOW);
    expect(rows).toHaveLength(posts.length);
    for (const row of rows) {
      const post = posts.find((p) => p.id === row.postId);
      if (!post) throw new Error(`unexpected post ${row.postId}`);
      const expected = postFacts(post, NOW);
      const { postId, creatorId, campaignId, publishedAt, ...actual } = row;
      expect(actual).toEqual(closeTo(expected));
    }
  });

  it("pools the same sums per tier and per creator as sumFacts", async () => {
    const perTier = await queryFactSums(store.prisma, workspaceId, NOW, "tier", {
      tierBoundaries: DEFAULT_TIER_BOUNDARIES,
    });
    for (const { key, creators, ...sums } of perTier) {
      const inTier = posts.filter((p) => tierOf(p.followers) === key);
      expect(sums).toEqual(closeTo(sumFacts(inTier.map((p) => postFacts(p, NOW)))));
      expect(creators).toBe(new Set(inTier.map((p) => p.creator)).size);
    }
    expect(perTier.reduce((n, row) => n + row.posts, 0)).toBe(posts.length);
  });

  it("reads history as of an earlier moment, ignoring later snapshots", async () => {
    const earlier = new Date(NOW.getTime() - 20 * DAY);
    const [sums] = await queryFactSums(store.prisma, workspaceId, earlier, "none", {
      tierBoundaries: DEFAULT_TIER_BOUNDARIES,
    });
    const published = posts.filter((p) => p.publishedAt <= earlier);
    const { key, creators, ...actual } = sums ?? { key: null, creators: 0 };
    expect(actual).toEqual(closeTo(sumFacts(published.map((p) => postFacts(p, earlier)))));
  });

  it("averages the engagement curve over the posts observed each day", async () => {
    const curve = await queryEngagementCurve(store.prisma, workspaceId, NOW, {}, 28);
    expect(curve.map((point) => point.day)).toEqual([...Array(29).keys()]);
    const day7 = curve[7];
    const observed = posts
      .map((p) => postFacts(p, NOW).engagementsAt7)
      .filter((e): e is number => e !== null);
    expect(day7?.posts).toBe(observed.length);
    expect(day7?.engagements).toBeCloseTo(observed.reduce((a, b) => a + b, 0) / observed.length, 6);
  });
});

/** Deep structure with numbers compared to 9 significant digits (SQL sums floats in another order). */
function closeTo(value: unknown): unknown {
  if (typeof value === "number")
    return expect.closeTo(value, Math.max(0, 9 - Math.ceil(Math.log10(Math.abs(value) + 1))));
  if (Array.isArray(value)) return value.map(closeTo);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeTo(v)]));
  }
  return value;
}
