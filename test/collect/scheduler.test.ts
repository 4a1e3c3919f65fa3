import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectorSource } from "../../src/collect/schedule.ts";
import { youtubeCollector } from "../../src/collect/youtube.ts";
import { createConversation } from "../../src/conversation/converse.ts";
import { insightContextFor } from "../../src/conversation/workspace.ts";
import { schedulerFor } from "../../src/schedule/wiring.ts";
import type { Store } from "../../src/store/database.ts";
import { noWait, quietLogs, typeInChannel } from "../schedule/support.ts";
import { describeOnPostgres, openSecondPool } from "../support/postgres.ts";
import { openTestStore } from "../support/store.ts";
import { startYouTubeStub, type YouTubeStub } from "./youtubeStub.ts";

const KEY = "yt-scheduler-key";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PUBLISHED = new Date("2026-03-02T10:00:00Z");
const at = (ms: number) => new Date(PUBLISHED.getTime() + ms);
const VIDEOS = ["aaaaaaaaaa1", "bbbbbbbbbb2", "ccccccccccc"];

let stub: YouTubeStub;

const sourceFor = (): CollectorSource => ({
  collectorFor: async () => youtubeCollector({ apiKey: KEY, baseUrl: stub.url }),
  credentialProblem: async () => {},
});

/** Likes grow by 10 an hour, so every week brings as much as the first: evergreen from day 28. */
function growTo(now: Date): void {
  const hours = Math.floor((now.getTime() - PUBLISHED.getTime()) / HOUR);
  for (const id of VIDEOS) {
    stub.videos.set(id, {
      id,
      channelId: "UCanna",
      publishedAt: PUBLISHED.toISOString(),
      statistics: { viewCount: String(100 * hours), likeCount: String(10 * hours), commentCount: "0" },
    });
  }
}

async function trackAll(store: Store, now: Date): Promise<void> {
  const conversation = createConversation(store, { collectors: sourceFor() });
  for (const id of VIDEOS) {
    await conversation.ask({
      text: `track youtu.be/${id}`,
      workspace: { slug: "acme", createIfMissing: true },
      now,
    });
  }
}

beforeAll(async () => {
  quietLogs();
  stub = await startYouTubeStub(KEY);
  stub.channels.set("UCanna", { id: "UCanna", title: "Anna", customUrl: "@anna", subscriberCount: "5000" });
});
afterAll(() => stub?.close());

describe("the scheduler's tick collects tracked posts", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(() => store?.close());

  it("and evaluates the workspace's alerts after a round that wrote snapshots, as after an import", async () => {
    growTo(at(HOUR / 2));
    await trackAll(store, at(HOUR / 2));
    const ctx = await insightContextFor(store.prisma, { slug: "acme", createIfMissing: false });
    await typeInChannel(ctx, "alert evergreen", "C0ALERTS", at(HOUR / 2));
    // Alerts on the clock only once (the first tick): any later alert comes from a collection round.
    const scheduler = schedulerFor({
      store,
      platforms: [{ platform: "slack", render: (view) => view, send: null }],
      settings: { owner: "replica-a", alertIntervalMs: 365 * DAY },
      sleep: noWait,
      collectors: sourceFor(),
    });
    const alertsAt: number[] = [];
    let snapshots = 0;
    for (let t = HOUR; t <= 29 * DAY; t += t < 4 * DAY ? HOUR : 6 * HOUR) {
      growTo(at(t));
      const report = await scheduler.tick(at(t));
      snapshots += report.collectedSnapshots;
      if (report.enqueuedAlerts > 0) alertsAt.push(t / DAY);
    }
    // 72 hourly slots, daily from day 4 to day 29: per post.
    expect(snapshots).toBe(VIDEOS.length * (72 + 26));
    // Week 4 is complete once a snapshot after day 28 exists: the day-29 collection raises the alert.
    expect(alertsAt).toEqual([29]);
    const deliveries = await store.prisma.delivery.findMany({ select: { dedupeKey: true, dueAt: true } });
    expect(deliveries.map((d) => d.dueAt)).toEqual(VIDEOS.map(() => at(29 * DAY)));
  }, 120_000);
});

describeOnPostgres("two replicas on one PostgreSQL database", () => {
  let store: Store;
  let otherProcess: Store;
  beforeAll(async () => {
    store = await openTestStore();
    otherProcess = await openSecondPool(store);
  });
  afterAll(async () => {
    await otherProcess?.close();
    await store?.close();
  });

  it("collect each slot of each post once while ticking concurrently over the same clock", async () => {
    growTo(at(HOUR / 2));
    await trackAll(store, at(HOUR / 2));
    const replica = (s: Store, owner: string) =>
      schedulerFor({
        store: s,
        platforms: [],
        settings: { owner },
        sleep: noWait,
        collectors: sourceFor(),
      });
    const [a, b] = [replica(store, "replica-a"), replica(otherProcess, "replica-b")];
    stub.delayMs = 5;
    const by = { a: 0, b: 0 };
    for (let t = HOUR; t <= 5 * DAY; t += 15 * MINUTE) {
      growTo(at(t));
      const [ra, rb] = await Promise.all([a.tick(at(t)), b.tick(at(t))]);
      by.a += ra.collectedSnapshots;
      by.b += rb.collectedSnapshots;
    }
    // Per post: the first at tracking, 72 hourly slots, then days 4 and 5.
    const perPost = await store.prisma.metricSnapshot.groupBy({ by: ["postId"], _count: true });
    expect(perPost.map((row) => row._count)).toEqual(VIDEOS.map(() => 1 + 72 + 2));
    expect(by.a + by.b).toBe(VIDEOS.length * (72 + 2));
  }, 120_000);
});
