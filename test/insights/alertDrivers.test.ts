import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importRows } from "../../src/ingest/importRows.ts";
import type { ImportRow } from "../../src/ingest/row.ts";
import { longevityAlerts } from "../../src/insights/longevityAlerts.ts";
import { COUNTERS, type Counters } from "../../src/metrics/types.ts";
import type { Store } from "../../src/store/database.ts";
import { findWorkspace } from "../../src/store/workspaces.ts";
import { openTestStore } from "../support/store.ts";

const NOW = new Date("2026-11-23T09:00:00Z");
const DAY_MS = 86_400_000;

function engagements(likes: number): Counters {
  const counters = Object.fromEntries(COUNTERS.map((counter) => [counter, 0])) as Counters;
  return { ...counters, likes };
}

/** A post with E(7) = 100 and the given E(14), published `daysAgo` before NOW. */
function post(creator: string, postId: string, daysAgo: number, e14: number): ImportRow[] {
  const publishedAt = new Date(NOW.getTime() - daysAgo * DAY_MS);
  const snapshot = (age: number, likes: number): ImportRow => ({
    platform: "instagram",
    creator,
    followers: 20_000,
    campaign: null,
    postId,
    publishedAt,
    fee: 100,
    capturedAt: new Date(publishedAt.getTime() + age * DAY_MS),
    ...engagements(likes),
  });
  return [snapshot(7, 100), snapshot(14, e14)];
}

describe("the creators behind a longevity drop", () => {
  let store: Store;

  beforeAll(async () => {
    store = await openTestStore();
    await importRows(store, "drivers", [
      // Baseline (published 40 days ago): week-2 retention 0.4 on 3 posts.
      ...post("base.one", "b1", 40, 140),
      ...post("base.two", "b2", 40, 140),
      ...post("base.three", "b3", 40, 140),
      // Recent cohort (published 20 days ago): pooled (10 + 10 + 20 + 50) / 400 = 0.225.
      ...post("anna", "a1", 20, 110),
      ...post("anna", "a2", 20, 110),
      ...post("ben", "n1", 20, 120),
      ...post("cleo", "c1", 20, 150),
    ]);
  });

  afterAll(async () => {
    await store?.close();
  });

  it("splits the drop among the creators below the baseline, adding up to the whole drop", async () => {
    const workspace = await findWorkspace(store.prisma, "drivers");
    if (!workspace) throw new Error("no workspace");
    const view = await longevityAlerts({ prisma: store.prisma, workspace }, {}, NOW);
    const alert = view.alerts.find((candidate) => candidate.campaign === null);
    expect(alert?.current).toMatchObject({ posts: 4, week2Retention: 0.225 });
    expect(alert?.baseline).toMatchObject({ posts: 3, week2Retention: 0.4 });
    // anna pulls 200/400 · (0.4 − 0.1) = 0.15 below the baseline, ben 100/400 · 0.2 = 0.05; cleo is above it.
    expect(
      alert?.drivers.map(({ handle, posts, share }) => ({ handle, posts, share: round(share) })),
    ).toEqual([
      { handle: "anna", posts: 2, share: 0.75 },
      { handle: "ben", posts: 1, share: 0.25 },
    ]);
  });
});

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
