import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tierMedians } from "../../src/insights/context.ts";
import {
  buildCurve,
  COUNTERS,
  type Counter,
  DEFAULT_EMV_RATES,
  DEFAULT_TIER_BOUNDARIES,
  engagementsGiven,
  mediansOfCreators,
  postFacts,
  sumFacts,
  tierOf,
  valueAt,
  weekActivity,
} from "../../src/metrics/index.ts";
import { type PostInput, type Snapshot, TIERS, type Tier } from "../../src/metrics/types.ts";
import type { Store } from "../../src/store/database.ts";
import {
  type GroupedFactSums,
  queryCounterFalls,
  queryCreatorSumsOfTier,
  queryEngagementCurve,
  queryFactSums,
  queryPostFacts,
  queryStoredTierMedians,
  queryWeeklyActivity,
  refreshMissingCreatorSums,
  refreshMissingPostFacts,
  refreshPostFacts,
  storeMissingTierMedians,
  workspaceFactsStoredAt,
} from "../../src/store/postFacts.ts";
import { workspaceById } from "../../src/store/workspaces.ts";
import { closeTo } from "../support/closeTo.ts";
import { openTestStore } from "../support/store.ts";

const DAY = 86_400_000;
const NOW = new Date("2026-06-01T00:00:00Z");

interface GeneratedPost extends PostInput {
  creator: number;
}

/** Counters left blank: usually none, otherwise any of them. */
const blankCounters = fc.oneof(fc.constant<Counter[]>([]), fc.subarray([...COUNTERS]));

/**
 * Random posts with irregular, out-of-order snapshots, some after NOW, some posts too young,
 * and counters that sometimes fall (an unlike wave, a wrong row), likes on their own; some
 * counters never given (blank, null) and some blank in single snapshots.
 */
const postArbitrary = fc
  .record({
    creator: fc.integer({ min: 0, max: 5 }),
    publishedDaysAgo: fc.double({ min: 0, max: 90, noNaN: true }),
    fee: fc.integer({ min: 0, max: 5000 }),
    // Now and then exactly at a checkpoint age (3, 7, 14, 21, 28 days), where no interpolation applies.
    snapshotAgesInMinutes: fc.uniqueArray(
      fc.oneof(
        fc.integer({ min: -2 * 1440, max: 100 * 1440 }),
        fc.constantFrom(...[0, 3, 7, 14, 21, 28].map((days) => days * 1440)),
      ),
      { maxLength: 12 },
    ),
    growth: fc.array(fc.integer({ min: -300, max: 400 }), { minLength: 12, maxLength: 12 }),
    likesNoise: fc.array(fc.integer({ min: -500, max: 200 }), { minLength: 12, maxLength: 12 }),
    neverGiven: blankCounters,
    blankInSnapshot: fc.array(blankCounters, { minLength: 12, maxLength: 12 }),
  })
  .map(
    ({
      creator,
      publishedDaysAgo,
      fee,
      snapshotAgesInMinutes,
      growth,
      likesNoise,
      ...blanks
    }): GeneratedPost => {
      const publishedAt = new Date(Math.round(NOW.getTime() - publishedDaysAgo * DAY));
      const sorted = [...snapshotAgesInMinutes].sort((a, b) => a - b);
      let total = 0;
      const snapshots: Snapshot[] = sorted.map((age, i) => {
        total = Math.max(0, total + (growth[i] ?? 0));
        const blank = [...blanks.neverGiven, ...(blanks.blankInSnapshot[i] ?? [])];
        const snapshot: Snapshot = {
          capturedAt: new Date(publishedAt.getTime() + age * 60_000),
          impressions: total * 20,
          reach: total * 10,
          views: total * 3,
          likes: Math.max(0, total + (likesNoise[i] ?? 0)),
          comments: Math.floor(total / 4),
          shares: Math.floor(total / 7),
          saves: Math.floor(total / 5),
          clicks: Math.floor(total / 3),
          redemptions: Math.floor(total / 50),
          conversions: Math.floor(total / 40),
          revenue: Math.floor(total / 40) * 19.5,
        };
        for (const counter of blank) snapshot[counter] = null;
        return snapshot;
      });
      return { creator, publishedAt, fee, followers: 0, snapshots: snapshots.reverse() };
    },
  );

const FOLLOWERS = [800, 12_000, 50_000, 120_000, 600_000, 2_000_000];

/** Random moments around NOW, the last snapshot of all, and moments after every snapshot. */
function momentsToAsk(posts: readonly PostInput[]): Date[] {
  const lastSnapshot = Math.max(...posts.flatMap((p) => p.snapshots.map((s) => s.capturedAt.getTime())));
  const random = fc.sample(fc.integer({ min: NOW.getTime() - 60 * DAY, max: NOW.getTime() + 10 * DAY }), {
    numRuns: 5,
    seed: 7,
  });
  // A week and two after the last snapshot: it then sits exactly on the weeks' boundaries.
  const boundaries = [7, 14].map((days) => lastSnapshot + days * DAY);
  return [...random, lastSnapshot, lastSnapshot + DAY, ...boundaries].map((ms) => new Date(ms));
}

describe("stored facts, facts computed from snapshots and src/metrics agree", () => {
  let store: Store;
  let workspaceId: number;
  let posts: (GeneratedPost & { id: number })[];
  let moments: Date[];
  let creatorIds: number[];

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
    creatorIds = creators.map((creator) => creator.id);
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
          impressions: bigIntOrNull(s.impressions),
          reach: bigIntOrNull(s.reach),
          views: bigIntOrNull(s.views),
          likes: bigIntOrNull(s.likes),
          comments: bigIntOrNull(s.comments),
          shares: bigIntOrNull(s.shares),
          saves: bigIntOrNull(s.saves),
          clicks: bigIntOrNull(s.clicks),
          redemptions: bigIntOrNull(s.redemptions),
          conversions: bigIntOrNull(s.conversions),
          revenue: s.revenue,
        })),
      });
      posts.push({ ...post, followers: creator.followers, id: row.id });
    }
    moments = momentsToAsk(posts);
  });

  afterAll(async () => {
    await store?.close();
  });

  async function expectPostFactsAsPure(now: Date) {
    const rows = await queryPostFacts(store.prisma, workspaceId, now);
    const published = posts.filter((p) => p.publishedAt <= now);
    expect(rows.map((row) => row.postId)).toEqual(published.map((p) => p.id));
    for (const row of rows) {
      const post = posts.find((p) => p.id === row.postId);
      if (!post) throw new Error(`unexpected post ${row.postId}`);
      const { postId, creatorId, campaignId, publishedAt, ...actual } = row;
      expect(actual).toEqual(closeTo(postFacts(post, now)));
    }
  }

  async function expectSumsAsPure(now: Date) {
    const perTier = await queryFactSums(store.prisma, workspaceId, now, "tier", {
      tierBoundaries: DEFAULT_TIER_BOUNDARIES,
    });
    const published = posts.filter((p) => p.publishedAt <= now);
    for (const { key, creators, ...sums } of perTier) {
      const inTier = published.filter((p) => tierOf(p.followers) === key);
      expect(sums).toEqual(closeTo(sumFacts(inTier.map((p) => postFacts(p, now)))));
      expect(creators).toBe(new Set(inTier.map((p) => p.creator)).size);
    }
    expect(perTier.reduce((n, row) => n + row.posts, 0)).toBe(published.length);
  }

  async function expectWeeklyActivityAsPure(now: Date, factsStored = false) {
    const rows = await queryWeeklyActivity(store.prisma, workspaceId, now, {}, { factsStored });
    const expected = posts
      .map((p) => p.creator)
      .filter((creator, i, all) => all.indexOf(creator) === i)
      .map((creator) => ({
        creator,
        activity: weekActivity(
          posts.filter((p) => p.creator === creator),
          now,
        ),
      }))
      .filter(({ activity }) => Object.values(activity).some((value) => value !== 0));
    expect(rows).toHaveLength(expected.length);
    const byCreatorId = new Map(rows.map(({ creatorId, ...activity }) => [creatorId, activity]));
    for (const { creator, activity } of expected) {
      expect(byCreatorId.get(creatorIds[creator] ?? -1)).toEqual(closeTo(activity));
    }
  }

  it("computes facts from snapshots as src/metrics does, for any now, before any are stored", async () => {
    for (const now of moments) {
      await expectPostFactsAsPure(now);
      await expectSumsAsPure(now);
      await expectWeeklyActivityAsPure(now);
    }
  });

  it("stores facts that give the same answers for any now, current or historical", async () => {
    await refreshPostFacts(
      store.prisma,
      posts.map((p) => p.id),
    );
    expect(await store.prisma.postFact.count()).toBe(posts.length);
    const published = posts.flatMap((p) => p.snapshots.filter((s) => s.capturedAt >= p.publishedAt));
    expect(await store.prisma.snapshotGain.count()).toBe(published.length);
    for (const now of moments) {
      await expectPostFactsAsPure(now);
      await expectSumsAsPure(now);
      await expectWeeklyActivityAsPure(now);
    }
  });

  it("names every post whose counters fell by more than 10 % among those it stores facts of", async () => {
    const ids = posts.map((p) => p.id);
    const everyFall = ids.length * COUNTERS.length;
    const mayHaveFallen = await refreshPostFacts(store.prisma, ids);
    const falls = await queryCounterFalls(store.prisma, ids, everyFall);
    expect(falls.count).toBeGreaterThan(0);
    expect(mayHaveFallen.length).toBeLessThan(ids.length);
    expect(await queryCounterFalls(store.prisma, mayHaveFallen, everyFall)).toEqual(falls);
  });

  it("reads stored facts from the post's last snapshot on, and computes them before it", async () => {
    const post = posts.find(
      (p) => p.snapshots.length > 1 && p.snapshots.some((s) => s.capturedAt >= p.publishedAt),
    );
    if (!post) throw new Error("the sample has no post with two snapshots");
    const last = new Date(Math.max(...post.snapshots.map((s) => s.capturedAt.getTime())));
    await store.prisma.postFact.update({ where: { postId: post.id }, data: { observedAge: 1234 } });
    const factsOf = async (now: Date) =>
      (await queryPostFacts(store.prisma, workspaceId, now)).find((row) => row.postId === post.id);
    expect((await factsOf(last))?.observedAgeDays).toBe(1234);
    const justBefore = new Date(last.getTime() - 1);
    expect((await factsOf(justBefore))?.observedAgeDays).toEqual(
      closeTo(postFacts(post, justBefore).observedAgeDays),
    );
    await refreshPostFacts(store.prisma, [post.id]);
    expect((await factsOf(last))?.observedAgeDays).toEqual(closeTo(postFacts(post, last).observedAgeDays));
  });

  it("sums stored gains for posts with stored facts and snapshots for the others, per creator", async () => {
    const forgotten = posts.filter((_, i) => i % 2 === 0).map((p) => p.id);
    await store.prisma.postFact.deleteMany({ where: { postId: { in: forgotten } } });
    for (const now of moments) await expectWeeklyActivityAsPure(now);
    await refreshPostFacts(store.prisma, forgotten);
  });

  async function expectCreatorSumsAsPure(now: Date) {
    const published = posts.filter((p) => p.publishedAt <= now);
    for (const tier of TIERS) {
      const scope = { tier, tierBoundaries: DEFAULT_TIER_BOUNDARIES };
      const byKey = (rows: GroupedFactSums[]) => [...rows].sort((a, b) => Number(a.key) - Number(b.key));
      const read = byKey(await queryCreatorSumsOfTier(store.prisma, workspaceId, now, scope));
      const summed = byKey(await queryFactSums(store.prisma, workspaceId, now, "creator", scope));
      expect(read).toEqual(closeTo(summed));
      const inTier = creatorIds.filter((_, creator) => tierOf(FOLLOWERS[creator] ?? 0) === tier);
      const pure = inTier.flatMap((id) => {
        const own = published.filter((p) => creatorIds[p.creator] === id);
        return own.length === 0
          ? []
          : [{ key: id, creators: 1, ...sumFacts(own.map((p) => postFacts(p, now))) }];
      });
      expect(read).toEqual(closeTo(byKey(pure)));
    }
  }

  const storedSumsCount = () => store.prisma.creatorFactSum.count({ where: { creator: { workspaceId } } });

  it("stores each creator's sums once its posts have facts: read for any now, equal to the facts' sums and to src/metrics", async () => {
    await refreshMissingCreatorSums(store.prisma, workspaceId);
    expect(await storedSumsCount()).toBe(new Set(posts.map((p) => p.creator)).size);
    for (const now of moments) await expectCreatorSumsAsPure(now);
  });

  it("reads a creator's stored sums from its last post and snapshot on, and sums its facts before", async () => {
    const [creatorId] = creatorIds;
    if (creatorId === undefined) throw new Error("no creator");
    const own = posts.filter((p) => p.creator === 0);
    const lastMoment = Math.max(
      ...own.flatMap((p) => [p.publishedAt.getTime(), ...p.snapshots.map((s) => s.capturedAt.getTime())]),
    );
    await store.prisma
      .$executeRaw`UPDATE creator_fact_sum SET sums = jsonb_set(sums, '{posts}', '1234') WHERE creator_id = ${creatorId}`;
    const postsRead = async (now: Date) =>
      (
        await queryCreatorSumsOfTier(store.prisma, workspaceId, now, {
          tier: "nano",
          tierBoundaries: DEFAULT_TIER_BOUNDARIES,
        })
      ).find((row) => row.key === creatorId)?.posts;
    expect(await postsRead(new Date(lastMoment))).toBe(1234);
    const justBefore = new Date(lastMoment - 1);
    expect(await postsRead(justBefore)).toBe(own.filter((p) => p.publishedAt <= justBefore).length);
    await store.prisma.creatorFactSum.delete({ where: { creatorId } });
    await refreshMissingCreatorSums(store.prisma, workspaceId);
  });

  it("forgets a creator's stored sums and day gains on a write to its followers, its posts or their facts, and stores them again", async () => {
    const [first, second, third, fourth] = creatorIds;
    if (fourth === undefined || first === undefined || second === undefined || third === undefined)
      throw new Error("too few creators");
    const storedFor = async (creatorId: number) =>
      (await store.prisma.creatorFactSum.count({ where: { creatorId } })) === 1;
    const dayGainsStoredFor = async (creatorId: number) =>
      (await store.prisma.creatorDayGain.count({ where: { creatorId } })) > 0;
    const all = await storedSumsCount();
    await store.prisma.creator.update({ where: { id: first }, data: { followers: { increment: 1 } } });
    await store.prisma.creator.update({ where: { id: first }, data: { followers: { decrement: 1 } } });
    const postOf = (creatorId: number) => posts.find((p) => creatorIds[p.creator] === creatorId);
    const secondPost = postOf(second);
    const thirdPost = postOf(third);
    if (!secondPost || !thirdPost) throw new Error("a creator without posts");
    await store.prisma.post.update({ where: { id: secondPost.id }, data: { fee: secondPost.fee + 1 } });
    await store.prisma.post.update({ where: { id: secondPost.id }, data: { fee: secondPost.fee } });
    await store.prisma.postFact.delete({ where: { postId: thirdPost.id } });
    const added = await store.prisma.post.create({
      data: { workspaceId, creatorId: fourth, platform: "instagram", externalId: "added", publishedAt: NOW },
    });
    const untouched = creatorIds.map((id) => ![first, second, third, fourth].includes(id));
    expect(await Promise.all(creatorIds.map(storedFor))).toEqual(untouched);
    expect(await Promise.all(creatorIds.map(dayGainsStoredFor))).toEqual(untouched);
    await refreshPostFacts(store.prisma, [thirdPost.id]);
    await refreshMissingCreatorSums(store.prisma, workspaceId);
    // The new post has no facts yet: its creator's sums wait for them.
    expect(await storedSumsCount()).toBe(all - 1);
    await store.prisma.post.delete({ where: { id: added.id } });
    await refreshMissingCreatorSums(store.prisma, workspaceId);
    expect(await storedSumsCount()).toBe(all);
    expect(await Promise.all(creatorIds.map(dayGainsStoredFor))).toEqual(creatorIds.map(() => true));
    for (const now of moments) await expectCreatorSumsAsPure(now);
  });

  it("knows from the creators' sums when every post's stored facts hold for now; the weekly activity then reads stored gains alone, as src/metrics", async () => {
    const latestOfCreator = (creator: number) =>
      Math.max(
        ...posts
          .filter((p) => p.creator === creator)
          .flatMap((p) => [
            p.publishedAt.getTime(),
            ...p.snapshots.map((snapshot) => snapshot.capturedAt.getTime()),
          ]),
      );
    const lastOfAll = Math.max(...creatorIds.map((_, creator) => latestOfCreator(creator)));
    // After every snapshot, at moments that cut days: the weeks then start and end inside UTC days.
    const afterAll = [0, 0.31, 2.74, 6.93, 9.5].map((days) => new Date(lastOfAll + days * DAY));
    // Mornings (UTC): each week then starts early on a day with snapshots, cut short of most of them.
    const nextMidnight = Math.ceil(lastOfAll / DAY) * DAY;
    const mornings = [3, 8, 11.5, 35].map((hours) => new Date(nextMidnight + (hours / 24) * DAY));
    const asked = [...moments, ...afterAll, ...mornings];
    let storedAtSome = false;
    for (const now of asked) {
      const published = new Set(posts.filter((p) => p.publishedAt <= now).map((p) => p.creator));
      const expected = [...published].every((creator) => latestOfCreator(creator) <= now.getTime());
      const stored = await workspaceFactsStoredAt(store.prisma, workspaceId, now);
      expect(stored).toBe(expected);
      if (stored) await expectWeeklyActivityAsPure(now, true);
      storedAtSome ||= stored;
    }
    expect(storedAtSome).toBe(true);
  });

  /** Each tier's medians by src/metrics: over its creators' sums of their posts published by now. */
  function pureTierMedians(tier: Tier, now: Date) {
    const perCreator = creatorIds.flatMap((_, creator) => {
      const own = posts.filter((p) => p.creator === creator && p.publishedAt <= now);
      return tierOf(FOLLOWERS[creator] ?? 0) === tier && own.length > 0
        ? [sumFacts(own.map((p) => postFacts(p, now)))]
        : [];
    });
    return { tier, ...mediansOfCreators(perCreator, DEFAULT_EMV_RATES) };
  }

  /** The latest moment a tier's creators' sums stand on: their posts' publishing and last snapshots. */
  function tierSumsAsOf(tier: Tier): number | null {
    const moments = posts
      .filter((p) => tierOf(p.followers) === tier)
      .flatMap((p) => [p.publishedAt.getTime(), ...p.snapshots.map((s) => s.capturedAt.getTime())]);
    return moments.length === 0 ? null : Math.max(...moments);
  }

  it("stores each tier's medians with the creators' sums, read for any now at or after them; before, the medians come from the sums; both as src/metrics", async () => {
    await storeMissingTierMedians(store.prisma, workspaceId);
    const ctx = { prisma: store.prisma, workspace: await workspaceById(store.prisma, workspaceId) };
    for (const tier of TIERS) {
      const scope = { tier, tierBoundaries: DEFAULT_TIER_BOUNDARIES };
      const asOf = tierSumsAsOf(tier);
      for (const now of [...moments, ...(asOf === null ? [] : [new Date(asOf)])]) {
        const stored = await queryStoredTierMedians(store.prisma, workspaceId, now, scope);
        expect(stored === null).toBe(asOf !== null && now.getTime() < asOf);
        const expected = pureTierMedians(tier, now);
        if (stored) expect({ tier, ...stored }).toEqual(closeTo(expected));
        expect(await tierMedians(ctx, tier, now)).toEqual(closeTo(expected));
      }
    }
  });

  it("answers from the stored tier medians, and forgets them all on a change to any creator's sums", async () => {
    const ctx = { prisma: store.prisma, workspace: await workspaceById(store.prisma, workspaceId) };
    const storedTiers = () => store.prisma.tierMedian.count({ where: { workspaceId } });
    expect(await storedTiers()).toBe(TIERS.length);
    await store.prisma.$executeRaw`UPDATE tier_median SET medians = jsonb_set(medians, '{creators}', '1234')
      WHERE workspace_id = ${workspaceId} AND tier = 'micro'`;
    expect((await tierMedians(ctx, "micro", new Date(tierSumsAsOf("micro") ?? 0))).creators).toBe(1234);
    const [first] = creatorIds;
    if (first === undefined) throw new Error("no creator");
    await store.prisma.creator.update({ where: { id: first }, data: { followers: { increment: 1 } } });
    expect(await storedTiers()).toBe(0);
    await store.prisma.creator.update({ where: { id: first }, data: { followers: { decrement: 1 } } });
    await refreshMissingPostFacts(store.prisma, workspaceId);
    expect(await storedTiers()).toBe(TIERS.length);
    const lastOfAll = new Date(Math.max(...TIERS.map((tier) => tierSumsAsOf(tier) ?? 0)));
    for (const tier of TIERS)
      expect(await tierMedians(ctx, tier, lastOfAll)).toEqual(closeTo(pureTierMedians(tier, lastOfAll)));
  });

  /** The curve as src/metrics reads each post, with the span and the fixed set of posts of the insight. */
  function pureCurve(now: Date) {
    const published = posts.filter((p) => p.publishedAt <= now);
    const seriesAt = (post: GeneratedPost, series: "engagements" | "clicks", day: number) => {
      const curve = buildCurve(post, now);
      const last = curve.at(-1)?.counters;
      const gives =
        last !== undefined && (series === "clicks" ? last.clicks !== null : engagementsGiven(last));
      return gives ? valueAt(curve, series, day) : null;
    };
    const givingE = (among: GeneratedPost[], day: number) =>
      among.map((p) => seriesAt(p, "engagements", day)).filter((e): e is number => e !== null);
    const onDay0 = givingE(published, 0).length;
    if (onDay0 === 0) return [];
    const days = [...Array(29).keys()];
    const span = Math.max(...days.filter((day) => givingE(published, day).length * 2 >= onDay0));
    const fixed = published.filter((p) => p.publishedAt.getTime() < now.getTime() - span * DAY);
    const mean = (values: number[]) =>
      values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    return days
      .filter((day) => day <= span)
      .map((day) => {
        const engagements = givingE(fixed, day);
        const clicks = fixed.map((p) => seriesAt(p, "clicks", day)).filter((c): c is number => c !== null);
        return { day, posts: engagements.length, engagements: mean(engagements), clicks: mean(clicks) };
      });
  }

  it("averages the engagement curve over the posts observed for its whole span, as src/metrics reads them, for any now", async () => {
    for (const now of moments) {
      expect(await queryEngagementCurve(store.prisma, workspaceId, now, {})).toEqual(closeTo(pureCurve(now)));
    }
  });
});

function bigIntOrNull(value: number | null): bigint | null {
  return value === null ? null : BigInt(value);
}
