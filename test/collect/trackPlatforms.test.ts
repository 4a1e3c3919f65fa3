import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectedCollectors } from "../../src/collect/connected.ts";
import { collectDue } from "../../src/collect/schedule.ts";
import { createConversation } from "../../src/conversation/converse.ts";
import { renderText } from "../../src/render/text.ts";
import { credentialStatuses, saveCredential } from "../../src/store/credentials.ts";
import type { Store } from "../../src/store/database.ts";
import { ensureWorkspace } from "../../src/store/workspaces.ts";
import { quietLogs } from "../schedule/support.ts";
import { openTestStore } from "../support/store.ts";
import { BUSINESS_ACCOUNT_ID } from "./instagramStub.ts";
import { type MayaStubs, startMayaStubs } from "./mayaStubs.ts";

const KEY = Buffer.alloc(32, 7);
const NOW = new Date("2026-11-21T09:00:00Z");
let store: Store;
let workspaceId: number;
let stubs: MayaStubs;

const collectors = () => connectedCollectors(store.prisma, KEY, stubs.endpoints);

async function ask(text: string, now = NOW): Promise<string> {
  const conversation = createConversation(store, { collectors: collectors() });
  return renderText(
    await conversation.ask({ text, workspace: { slug: "acme", createIfMissing: false }, now }),
  );
}

async function storedPost(platform: string) {
  const post = await store.prisma.post.findFirstOrThrow({
    where: { platform },
    include: { creator: true, snapshots: { omit: { postId: true } } },
  });
  return {
    externalId: post.externalId,
    publishedAt: post.publishedAt,
    creator: [post.creator.handle, post.creator.followers],
    snapshots: post.snapshots,
  };
}

const blank = { clicks: null, redemptions: null, conversions: null, revenue: null, capturedAt: NOW };

beforeAll(async () => {
  quietLogs();
  [store, stubs] = await Promise.all([openTestStore(), startMayaStubs()]);
  workspaceId = (await ensureWorkspace(store.prisma, "acme")).id;
  const save = (
    platform: "youtube" | "instagram" | "tiktok",
    subject: string | null,
    secret: string,
    accountId?: string,
  ) => saveCredential(store.prisma, KEY, workspaceId, { platform, subject, secret, accountId });
  await save("youtube", null, "yt-key");
  await save("instagram", null, "EAAB-business", BUSINESS_ACCOUNT_ID);
  await save("instagram", "maya.runs", "EAAB-maya");
  await save("tiktok", "maya.runs", "act.maya");
});
afterAll(() => Promise.all([store?.close(), stubs?.close()]));

describe("tracking a link of each platform, through the workspace's connected credentials", () => {
  it("YouTube: the post and its first snapshot", async () => {
    expect(await ask("track https://www.youtube.com/shorts/dQw4w9WgXcQ")).toBe(
      [
        "✓ Tracking @maya.runs (48,200 followers) on YouTube",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "Snapshot now: 100 views, 7 likes, 2 comments.",
        "Next collection 21 Nov 2026, 10:00. Collected hourly for 3 days after publishing, then daily until day 60.",
        'See every tracked post with longtail ask "tracked".',
      ].join("\n"),
    );
    expect(await storedPost("youtube")).toEqual({
      externalId: "dQw4w9WgXcQ",
      publishedAt: new Date("2026-11-20T17:00:00Z"),
      creator: ["maya.runs", 48200],
      snapshots: [
        {
          ...blank,
          views: 100n,
          likes: 7n,
          comments: 2n,
          shares: null,
          saves: null,
          impressions: null,
          reach: null,
        },
      ],
    });
  });

  it("Instagram: public counters by Business Discovery, insights with the creator's token", async () => {
    expect(
      await ask("track https://www.instagram.com/maya.runs/reel/C1a2b3Reel/?igsh=abc for spring-launch"),
    ).toBe(
      [
        "✓ Tracking @maya.runs (48,200 followers) on Instagram",
        "https://www.instagram.com/p/C1a2b3Reel/",
        "Campaign spring-launch",
        "Snapshot now: 1,200 views, 51 likes, 3 comments, 3 shares, 8 saves, 400 reach.",
        "Next collection 21 Nov 2026, 10:00. Collected hourly for 3 days after publishing, then daily until day 60.",
        'See every tracked post with longtail ask "tracked".',
      ].join("\n"),
    );
    expect(await storedPost("instagram")).toEqual({
      externalId: "C1a2b3Reel",
      publishedAt: new Date("2026-11-20T17:00:00Z"),
      creator: ["maya.runs", 48200],
      snapshots: [
        {
          ...blank,
          views: 1200n,
          likes: 51n,
          comments: 3n,
          shares: 3n,
          saves: 8n,
          impressions: null,
          reach: 400n,
        },
      ],
    });
  });

  it("an Instagram /p/ link without the creator is asked whose it is; with `by @creator` it is the same post", async () => {
    expect(await ask("track https://www.instagram.com/p/C1a2b3Reel/")).toBe(
      [
        "! Whose Instagram post is it?",
        "Instagram posts are read through their creator's account, and this link does not name them.",
        "Add the creator: track https://www.instagram.com/p/C1a2b3Reel/ by @creator",
      ].join("\n"),
    );
    expect(await ask("track https://www.instagram.com/p/C1a2b3Reel/ by @maya.runs")).toBe(
      [
        "✓ Still tracking @maya.runs (48,200 followers) on Instagram",
        "https://www.instagram.com/p/C1a2b3Reel/",
        "Snapshot now: 1,200 views, 51 likes, 3 comments, 3 shares, 8 saves, 400 reach.",
        "Next collection 21 Nov 2026, 10:00. Collected hourly for 3 days after publishing, then daily until day 60.",
        'See every tracked post with longtail ask "tracked".',
      ].join("\n"),
    );
  });

  it("TikTok: the creator's token gives likes, comments, shares and views", async () => {
    expect(await ask("track https://www.tiktok.com/@maya.runs/video/7311234567890123456 fee 80")).toBe(
      [
        "✓ Tracking @maya.runs (48,200 followers) on TikTok",
        "https://www.tiktok.com/@maya.runs/video/7311234567890123456",
        "Fee €80.00",
        "Snapshot now: 90 views, 5 likes, 1 comment, 2 shares.",
        "Next collection 21 Nov 2026, 10:00. Collected hourly for 3 days after publishing, then daily until day 60.",
        'See every tracked post with longtail ask "tracked".',
      ].join("\n"),
    );
    expect(await storedPost("tiktok")).toEqual({
      externalId: "7311234567890123456",
      publishedAt: new Date("2026-11-20T17:00:00Z"),
      creator: ["maya.runs", 48200],
      snapshots: [
        {
          ...blank,
          views: 90n,
          likes: 5n,
          comments: 1n,
          shares: 2n,
          saves: null,
          impressions: null,
          reach: null,
        },
      ],
    });
  });

  it("a YouTube key the platform refuses is recorded, and that workspace's YouTube collection waits for a new one", async () => {
    await saveCredential(store.prisma, KEY, workspaceId, {
      platform: "youtube",
      subject: null,
      secret: "revoked",
    });
    const before = stubs.youtube.calls.length;
    expect(await ask("track https://youtu.be/aaaaaaaaaa1", new Date("2026-11-22T09:00:00Z"))).toBe(
      [
        "! Tracking that YouTube post, but YouTube refused the workspace's credentials",
        "https://www.youtube.com/watch?v=aaaaaaaaaa1",
        "YouTube refused the API key: set a valid YouTube Data API v3 key.",
        "An admin replaces them: longtail connect youtube --workspace acme. Collection resumes within the hour after.",
      ].join("\n"),
    );
    expect(
      (await credentialStatuses(store.prisma, workspaceId))
        .filter((s) => s.platform === "youtube")
        .map((s) => [s.status, s.problem]),
    ).toEqual([["problem", "YouTube refused the API key: set a valid YouTube Data API v3 key."]]);
    for (const hour of [10, 11, 12]) {
      await collectDue(
        { store, collectors: collectors() },
        { owner: "replica-a", leaseMs: 300_000, maxCallsPerPair: 20 },
        new Date(`2026-11-22T${hour}:00:00Z`),
      );
    }
    expect(stubs.youtube.calls.length - before).toBe(1);
  });
});
