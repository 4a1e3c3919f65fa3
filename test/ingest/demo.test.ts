import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CAMPAIGNS, demoCreators, demoRows, seedDemo, writeDemoCsv } from "../../src/ingest/demo.ts";
import { importFile } from "../../src/ingest/importFile.ts";
import type { ImportRow } from "../../src/ingest/row.ts";
import { aggregatePosts, DEFAULT_EMV_RATES, isEvergreen } from "../../src/metrics/index.ts";
import { COUNTERS, TIERS, type Tier } from "../../src/metrics/types.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore } from "../support/store.ts";
import {
  type DemoPost,
  demoPosts,
  longevityCohorts,
  publishedBetween,
  tierOfPost,
  week2Retention,
} from "./demoFacts.ts";
import { tempFolder, workspaceContents } from "./support.ts";

const NOW = new Date("2026-11-23T09:00:00Z");
const DAY_MS = 86_400_000;

const rows = [...demoRows({ now: NOW })];
const posts = demoPosts(rows, NOW);

function aggregateOf(selected: readonly DemoPost[]) {
  return aggregatePosts(
    selected.map((post) => post.input),
    NOW,
    DEFAULT_EMV_RATES,
  );
}

function postsOfTiers(...tiers: Tier[]) {
  return posts.filter((post) => tiers.includes(tierOfPost(post)));
}

describe("demoRows", () => {
  it("gives the same rows for the same arguments, and other rows for another seed", () => {
    expect([...demoRows({ now: NOW })]).toEqual(rows);
    const otherSeed = [...demoRows({ now: NOW, seed: 2 })];
    expect(otherSeed).not.toEqual(rows);
    expect(new Set(otherSeed.map((row) => row.creator))).not.toEqual(new Set(rows.map((row) => row.creator)));
  });

  it("casts about 40 creators across every tier, with readable handles on three platforms", () => {
    const creators = demoCreators({ now: NOW });
    expect(creators).toHaveLength(40);
    expect(new Set(creators.map((creator) => creator.tier))).toEqual(new Set(TIERS));
    expect(new Set(posts.map(tierOfPost))).toEqual(new Set(TIERS));
    expect(new Set(creators.map((creator) => creator.platform))).toEqual(
      new Set(["instagram", "tiktok", "youtube"]),
    );
    for (const creator of creators) expect(creator.handle).toMatch(/^[a-z]+[._][a-z]+$/);
    expect(new Set(creators.map((creator) => creator.handle)).size).toBe(40);
  });

  it("runs three campaigns over the 12 weeks before now, and some posts outside any campaign", () => {
    expect(new Set(rows.map((row) => row.campaign))).toEqual(new Set([...DEMO_CAMPAIGNS, null]));
    const published = posts.map((post) => post.input.publishedAt.getTime());
    expect(Math.min(...published)).toBeGreaterThanOrEqual(NOW.getTime() - 84 * DAY_MS);
    const campaignOrder = [...new Set([...posts].sort(byPublished).flatMap((post) => post.campaign ?? []))];
    expect(campaignOrder).toEqual([...DEMO_CAMPAIGNS]);
  });

  it("takes daily snapshots from publishing until now, 60 days at most, that never decrease", () => {
    for (const post of posts) {
      const ages = post.input.snapshots.map(
        (snapshot) => (snapshot.capturedAt.getTime() - post.input.publishedAt.getTime()) / DAY_MS,
      );
      const expectedDays = Math.min(
        60,
        Math.floor((NOW.getTime() - post.input.publishedAt.getTime()) / DAY_MS),
      );
      expect(ages).toEqual(Array.from({ length: expectedDays }, (_, index) => index + 1));
      post.input.snapshots.forEach((snapshot, index) => {
        const previous = post.input.snapshots[index - 1];
        for (const counter of COUNTERS)
          expect(snapshot[counter]).toBeGreaterThanOrEqual(previous?.[counter] ?? 0);
      });
    }
  });

  it("makes fees grow with followers", () => {
    const feeOf = (tier: Tier) =>
      aggregateOf(postsOfTiers(tier).filter((post) => post.input.fee > 0)).direct.fee;
    const perPost = (tier: Tier) =>
      feeOf(tier) / postsOfTiers(tier).filter((post) => post.input.fee > 0).length;
    expect(perPost("nano")).toBeLessThan(perPost("micro"));
    expect(perPost("micro")).toBeLessThan(perPost("mid"));
    expect(perPost("mid")).toBeLessThan(perPost("macro"));
    expect(perPost("macro")).toBeLessThan(perPost("mega"));
  });

  it("tells the article's story: big creators win on clicks, small ones on lasting engagement", () => {
    const big = aggregateOf(postsOfTiers("macro", "mega"));
    const small = aggregateOf(postsOfTiers("nano", "micro"));
    const perPost = (aggregate: typeof big, value: number | null) => (value ?? Number.NaN) / aggregate.posts;

    expect(perPost(big, big.direct.clicks)).toBeGreaterThan(20 * perPost(small, small.direct.clicks));
    expect(perPost(big, big.direct.redemptions)).toBeGreaterThan(
      20 * perPost(small, small.direct.redemptions),
    );
    expect(big.sustained.week2Retention).toBeLessThan(0.1);
    expect(small.sustained.week2Retention).toBeGreaterThan(0.3);
    expect(big.sustained.longevity).toBeLessThan(0.15);
    expect(small.sustained.longevity).toBeGreaterThan(0.35);
    expect(small.sustained.costPerSustainedEngagement).toBeLessThan(
      (big.sustained.costPerSustainedEngagement ?? 0) / 3,
    );
  });

  it("has a few evergreen posts, all from small creators", () => {
    const evergreen = posts.filter((post) => isEvergreen(post.facts));
    expect(evergreen.length).toBeGreaterThanOrEqual(3);
    expect(evergreen.length).toBeLessThan(posts.length / 5);
    for (const post of evergreen) expect(["nano", "micro"]).toContain(tierOfPost(post));
  });

  it("drops longevity in the cohort of two to three weeks ago, driven by two named creators", () => {
    const { current, baseline } = longevityCohorts(posts, NOW);
    expect(current.sums.week2Posts).toBeGreaterThanOrEqual(3);
    expect(baseline.sums.week2Posts).toBeGreaterThanOrEqual(3);
    expect(current.retention).toBeLessThan(0.75 * (baseline.retention ?? 0));

    const drivers = demoCreators({ now: NOW }).filter((creator) => creator.drivesLongevityDrop);
    expect(drivers.map((creator) => creator.tier).sort()).toEqual(["macro", "mega"]);
    const cohort = publishedBetween(posts, NOW, 21, 14);
    const isDriver = (post: DemoPost) => drivers.some((driver) => driver.handle === post.creator);
    expect(cohort.filter(isDriver).length).toBeGreaterThanOrEqual(2);
    const withoutDrivers = week2Retention(cohort.filter((post) => !isDriver(post))).retention ?? 0;
    expect(withoutDrivers).toBeGreaterThan(2 * (current.retention ?? 0));
  });

  it("keeps the drop for any seed and any moment", () => {
    const seeds = fc.integer({ min: 1, max: 1_000_000 });
    const moments = fc
      .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) })
      .map((ms) => new Date(ms));
    fc.assert(
      fc.property(seeds, moments, (seed, now) => {
        const { current, baseline } = longevityCohorts(demoPosts(demoRows({ now, seed }), now), now);
        expect(Math.min(current.sums.week2Posts, baseline.sums.week2Posts)).toBeGreaterThanOrEqual(3);
        expect(current.retention).toBeLessThan(0.75 * (baseline.retention ?? 0));
      }),
      { numRuns: 25 },
    );
  });

  it("generates benchmark sizes lazily", () => {
    const huge = demoRows({ now: NOW, creators: 2_000, posts: 20_000 });
    const first: ImportRow[] = [];
    for (const row of huge) {
      first.push(row);
      if (first.length === 1_000) break;
    }
    expect(first).toHaveLength(1_000);
    expect(new Set(demoCreators({ now: NOW, creators: 2_000 }).map((creator) => creator.handle)).size).toBe(
      2_000,
    );
  });
});

function byPublished(a: DemoPost, b: DemoPost): number {
  return a.input.publishedAt.getTime() - b.input.publishedAt.getTime();
}

describe("seedDemo", () => {
  let store: Store;
  const files = tempFolder();

  beforeAll(async () => {
    store = await openTestStore();
  });

  afterAll(async () => {
    await store.close();
    files.remove();
  });

  it("replaces the demo workspace with the generated rows, the same as importing them as CSV", async () => {
    const options = { now: NOW, creators: 10, postsPerCreator: 3, seed: 5 };
    const first = await seedDemo(store, options);
    const seeded = await workspaceContents(store, "demo");
    const again = await seedDemo(store, options);

    expect(await workspaceContents(store, "demo")).toEqual(seeded);
    expect(again).toMatchObject({
      rows: first.rows,
      posts: first.posts,
      snapshots: first.snapshots,
      creators: 10,
    });
    expect(seeded.snapshots).toHaveLength(first.rows);

    const path = `${files.dir}/demo.csv`;
    await writeDemoCsv(path, options);
    const imported = await importFile(store, { path, workspaceSlug: "demo-from-csv", skipInvalid: false });
    expect(imported.ok).toBe(true);
    expect(await workspaceContents(store, "demo-from-csv")).toEqual(seeded);
  });

  it("seeds into another slug without touching the demo workspace", async () => {
    const demoBefore = await workspaceContents(store, "demo");
    const summary = await seedDemo(store, { now: NOW, creators: 5, postsPerCreator: 1, slug: "tiny" });
    expect(summary.workspaceSlug).toBe("tiny");
    expect((await workspaceContents(store, "tiny")).creators).toHaveLength(5);
    expect(await workspaceContents(store, "demo")).toEqual(demoBefore);
  });
});
