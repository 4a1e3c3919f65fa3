import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CollectError, type CredentialSubject } from "../../src/collect/collector.ts";
import {
  backoffMs,
  type CollectorSource,
  collectDue,
  FINISHED,
  nextSlot,
} from "../../src/collect/schedule.ts";
import { youtubeCollector } from "../../src/collect/youtube.ts";
import { type Conversation, createConversation } from "../../src/conversation/converse.ts";
import { importRows } from "../../src/ingest/importRows.ts";
import type { ViewModel } from "../../src/insights/viewModels.ts";
import { renderSlack } from "../../src/render/slack.ts";
import { renderText } from "../../src/render/text.ts";
import type { Store } from "../../src/store/database.ts";
import { ensureWorkspace } from "../../src/store/workspaces.ts";
import { quietLogs } from "../schedule/support.ts";
import { openTestStore } from "../support/store.ts";
import { addAnnaBakesVideo, startYouTubeStub, type YouTubeStub, type YouTubeVideo } from "./youtubeStub.ts";

const KEY = "yt-schedule-key";
const VIDEO = "dQw4w9WgXcQ";
const LINK = `https://youtu.be/${VIDEO}`;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PUBLISHED = new Date("2026-03-02T10:00:00Z");
const at = (ms: number) => new Date(PUBLISHED.getTime() + ms);

let store: Store;
let stub: YouTubeStub;
let conversation: Conversation;
let problems: { workspaceId: number; platform: string; subject: CredentialSubject; problem: string }[];
let workspaceId: number;

const source: CollectorSource = {
  collectorFor: async () => youtubeCollector({ apiKey: KEY, baseUrl: stub.url }),
  credentialProblem: async (workspaceId, platform, subject, problem) => {
    problems.push({ workspaceId, platform, subject, problem });
  },
};

const tick = (now: Date, owner = "replica-a", collectors = source) =>
  collectDue({ store, collectors }, { owner, leaseMs: 5 * MINUTE, maxCallsPerPair: 20 }, now);

/** A platform that refuses every call for a reason of its own. */
const refusing: CollectorSource = {
  ...source,
  async collectorFor(workspaceId, platform) {
    const real = await source.collectorFor(workspaceId, platform);
    return (
      real && {
        ...real,
        collect: () => Promise.reject(new CollectError("refused", "YouTube refused the request (400).")),
      }
    );
  },
};

/** YouTube through the stub, but its next call finds the day's quota spent (resets in 5 hours). */
function quotaSpentOnce(): CollectorSource {
  let spent = true;
  return {
    ...source,
    async collectorFor(workspaceId, platform) {
      const real = await source.collectorFor(workspaceId, platform);
      if (!real) return null;
      return {
        ...real,
        async collect(posts) {
          if (!spent) return real.collect(posts);
          spent = false;
          throw new CollectError("quota", "YouTube's daily quota for this API key is used up.", 5 * HOUR);
        },
      };
    },
  };
}

function askView(text: string, now: Date): Promise<ViewModel> {
  return conversation.ask({
    text,
    workspace: { slug: "acme", createIfMissing: false },
    user: { id: "U0ANNA" },
    now,
  });
}

async function ask(text: string, now: Date): Promise<string> {
  return renderText(await askView(text, now));
}

async function snapshots(): Promise<{ capturedAt: Date; views: bigint | null; shares: bigint | null }[]> {
  return store.prisma.metricSnapshot.findMany({
    select: { capturedAt: true, views: true, shares: true },
    orderBy: { capturedAt: "asc" },
  });
}

const videoCalls = () => stub.calls.filter((call) => call.pathname.endsWith("/videos")).length;

beforeAll(async () => {
  quietLogs();
  store = await openTestStore();
  stub = await startYouTubeStub(KEY);
  conversation = createConversation(store, { collectors: source });
});
afterAll(async () => {
  await stub?.close();
  await store?.close();
});
beforeEach(async () => {
  await store.prisma.workspace.deleteMany({});
  workspaceId = (await ensureWorkspace(store.prisma, "acme", "Acme")).id;
  problems = [];
  stub.calls.length = 0;
  stub.failures.length = 0;
  addAnnaBakesVideo(stub, VIDEO, PUBLISHED.toISOString());
});

describe("collection slots", () => {
  it("are hourly for 3 days after publishing, then daily until day 60, then none", () => {
    expect(nextSlot(PUBLISHED, at(30 * MINUTE))).toEqual(at(HOUR));
    expect(nextSlot(PUBLISHED, at(HOUR))).toEqual(at(2 * HOUR));
    expect(nextSlot(PUBLISHED, at(71 * HOUR + 59 * MINUTE))).toEqual(at(72 * HOUR));
    expect(nextSlot(PUBLISHED, at(72 * HOUR))).toEqual(at(4 * DAY));
    expect(nextSlot(PUBLISHED, at(59 * DAY + HOUR))).toEqual(at(60 * DAY));
    expect(nextSlot(PUBLISHED, at(60 * DAY))).toBeNull();
  });

  it("back off 1, 2, 4 … minutes without Retry-After, at most an hour", () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(backoffMs)).toEqual([
      MINUTE,
      2 * MINUTE,
      4 * MINUTE,
      8 * MINUTE,
      HOUR,
      HOUR,
      HOUR,
    ]);
  });
});

describe("tracking a YouTube link", () => {
  it("collects at once: the creator from the channel, the post and its first snapshot, as an import would store them", async () => {
    const answer = await ask(`track ${LINK} for spring-launch fee 250`, at(30 * MINUTE));
    expect(answer).toBe(
      [
        "✓ Tracking @anna.bakes (12,300 followers) on YouTube",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "Campaign spring-launch · Fee €250.00",
        "Snapshot now: 1,000 views, 50 likes, 7 comments.",
        "Next collection 2 Mar 2026, 11:00. Collected hourly for 3 days after publishing, then daily until day 60.",
        'See every tracked post with longtail ask "tracked".',
      ].join("\n"),
    );
    const post = await store.prisma.post.findFirstOrThrow({ include: { creator: true, campaign: true } });
    expect({
      platform: post.platform,
      externalId: post.externalId,
      url: post.url,
      fee: Number(post.fee),
      publishedAt: post.publishedAt,
      campaign: post.campaign?.name,
      creator: [post.creator.handle, post.creator.followers],
    }).toEqual({
      platform: "youtube",
      externalId: VIDEO,
      url: `https://www.youtube.com/watch?v=${VIDEO}`,
      fee: 250,
      publishedAt: PUBLISHED,
      campaign: "spring-launch",
      creator: ["anna.bakes", 12300],
    });
    expect(await store.prisma.metricSnapshot.findMany({ omit: { postId: true } })).toEqual([
      {
        capturedAt: at(30 * MINUTE),
        views: 1000n,
        likes: 50n,
        comments: 7n,
        shares: null,
        saves: null,
        impressions: null,
        reach: null,
        clicks: null,
        redemptions: null,
        conversions: null,
        revenue: null,
      },
    ]);
    expect(await store.prisma.postFact.count()).toBe(1);
  });

  it("adds to the post an import wrote: the same post (its creator and campaign kept), one snapshot more", async () => {
    const counters = {
      impressions: null,
      reach: null,
      shares: null,
      saves: null,
      clicks: 40,
      redemptions: null,
    };
    await importRows(store, "acme", [
      {
        ...counters,
        views: 800,
        likes: 30,
        comments: 5,
        conversions: null,
        revenue: null,
        platform: "youtube",
        creator: "anna",
        followers: 12_000,
        campaign: "winter",
        postId: VIDEO,
        publishedAt: PUBLISHED,
        fee: 100,
        capturedAt: at(20 * MINUTE),
      },
    ]);
    await ask(`track ${LINK}`, at(30 * MINUTE));
    const posts = await store.prisma.post.findMany({ include: { creator: true, campaign: true } });
    expect(
      posts.map((p) => [
        p.externalId,
        p.creator.handle,
        p.creator.followers,
        p.campaign?.name,
        Number(p.fee),
      ]),
    ).toEqual([[VIDEO, "anna", 12_300, "winter", 100]]);
    expect((await snapshots()).map((s) => [s.capturedAt, s.views])).toEqual([
      [at(20 * MINUTE), 800n],
      [at(30 * MINUTE), 1000n],
    ]);
  });

  it("collects 130 snapshots over 60 simulated days (1 at tracking, 72 hourly, 57 daily), then stops as finished", async () => {
    await ask(`track ${LINK}`, at(30 * MINUTE));
    // Two ticks in every hourly slot (:10 and :40), 48 in every daily one: each slot collects once.
    for (let t = HOUR + 10 * MINUTE; t <= 61 * DAY; t += 30 * MINUTE) await tick(at(t));
    const taken = await snapshots();
    expect(taken).toHaveLength(130);
    expect(videoCalls()).toBe(130);
    expect(taken[1]?.capturedAt).toEqual(at(HOUR + 10 * MINUTE));
    expect(taken[72]?.capturedAt).toEqual(at(72 * HOUR + 10 * MINUTE));
    expect(taken[73]?.capturedAt).toEqual(at(4 * DAY + 10 * MINUTE));
    expect(taken[129]?.capturedAt).toEqual(at(60 * DAY + 10 * MINUTE));
    const tracked = await store.prisma.trackedPost.findFirstOrThrow();
    expect([tracked.state, tracked.stopReason]).toEqual(["stopped", FINISHED]);
  }, 120_000);

  it("stops a post YouTube no longer shows, with the reason `tracked` gives", async () => {
    await ask(`track ${LINK}`, at(30 * MINUTE));
    stub.videos.delete(VIDEO);
    const report = await tick(at(HOUR));
    expect(report).toEqual({ snapshots: 0, stopped: 1, deferred: 0, changedWorkspaces: [] });
    await tick(at(2 * HOUR));
    expect(videoCalls()).toBe(2);
    const url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ";
    expect(renderSlack(await askView("tracked", at(2 * HOUR))).blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: "Tracked posts (1)", emoji: true } },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: "Collected hourly for 3 days after publishing, then daily until day 60 · as of 2 Mar 2026, 12:00",
          },
        ],
      },
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*YouTube @anna.bakes* <${url}|${url}> · 1 snapshot · stopped: deleted or private on YouTube`,
        },
      },
    ]);
    expect(await ask("tracked", at(2 * HOUR))).toBe(
      [
        "Tracked posts (1)",
        "Collected hourly for 3 days after publishing, then daily until day 60 · as of 2 Mar 2026, 12:00",
        "",
        "YouTube @anna.bakes https://www.youtube.com/watch?v=dQw4w9WgXcQ · 1 snapshot · stopped: deleted or private on YouTube",
      ].join("\n"),
    );
  });

  it("answers that a deleted or private video is nothing to track, and keeps nothing", async () => {
    stub.videos.delete(VIDEO);
    expect(await ask(`track ${LINK}`, at(HOUR))).toBe(
      [
        "! Nothing to track: YouTube does not show that post",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "YouTube: deleted or private on YouTube.",
      ].join("\n"),
    );
    expect(await store.prisma.trackedPost.count()).toBe(0);
    expect(await store.prisma.post.count()).toBe(0);
  });

  it("holds every post of the workspace's YouTube until a spent quota resets, and `tracked` says why they wait", async () => {
    stub.videos.set("aaaaaaaaaa1", { ...(stub.videos.get(VIDEO) as YouTubeVideo), id: "aaaaaaaaaa1" });
    await ask(`track ${LINK}`, at(30 * MINUTE));
    await ask("track youtu.be/aaaaaaaaaa1", at(30 * MINUTE));
    const quota = quotaSpentOnce();
    expect(await tick(at(HOUR), "replica-a", quota)).toEqual({
      snapshots: 0,
      stopped: 0,
      deferred: 2,
      changedWorkspaces: [],
    });
    const waiting =
      "last 2 Mar 2026, 10:30, next 2 Mar 2026, 16:00 (waiting: YouTube's daily quota for this API key is used up.)";
    expect(await ask("tracked", at(2 * HOUR))).toBe(
      [
        "Tracked posts (2)",
        "Collected hourly for 3 days after publishing, then daily until day 60 · as of 2 Mar 2026, 12:00",
        "",
        `YouTube @anna.bakes https://www.youtube.com/watch?v=aaaaaaaaaa1 · 1 snapshot · ${waiting}`,
        `YouTube @anna.bakes https://www.youtube.com/watch?v=dQw4w9WgXcQ · 1 snapshot · ${waiting}`,
      ].join("\n"),
    );
    for (const hours of [2, 3, 4, 5]) await tick(at(hours * HOUR), "replica-a", quota);
    expect(videoCalls()).toBe(2);
    expect((await tick(at(6 * HOUR), "replica-a", quota)).snapshots).toBe(2);
    expect(videoCalls()).toBe(3);
  });

  it("stops a post the platform refuses 5 times in a row (1, 2, 4, 8 minutes apart), saying why", async () => {
    await ask(`track ${LINK}`, at(30 * MINUTE));
    const triedAt: number[] = [];
    for (let minute = 0; minute <= 30; minute++) {
      const report = await tick(at(HOUR + minute * MINUTE), "replica-a", refusing);
      if (report.deferred + report.stopped > 0) triedAt.push(minute);
    }
    expect(triedAt).toEqual([0, 1, 3, 7, 15]);
    const tracked = await store.prisma.trackedPost.findFirstOrThrow();
    expect([tracked.state, tracked.stopReason]).toEqual([
      "stopped",
      "refused by the platform: YouTube refused the request (400).",
    ]);
  });

  it("waits as long as Retry-After says after a 429, then collects", async () => {
    await ask(`track ${LINK}`, at(30 * MINUTE));
    stub.failures.push({ status: 429, headers: { "retry-after": "120" }, body: rateLimitBody() });
    expect(await tick(at(HOUR))).toEqual({ snapshots: 0, stopped: 0, deferred: 1, changedWorkspaces: [] });
    await tick(at(HOUR + 119_000));
    expect(videoCalls()).toBe(2);
    expect(await tick(at(HOUR + 120_000))).toEqual({
      snapshots: 1,
      stopped: 0,
      deferred: 0,
      changedWorkspaces: [workspaceId],
    });
    expect(videoCalls()).toBe(3);
  });

  it("backs off 1 then 2 minutes after a 429 without Retry-After, then collects", async () => {
    await ask(`track ${LINK}`, at(30 * MINUTE));
    stub.failures.push(
      { status: 429, headers: {}, body: rateLimitBody() },
      { status: 503, headers: {}, body: unavailableBody() },
    );
    const callTimes: number[] = [];
    for (let t = HOUR; t <= HOUR + 5 * MINUTE; t += 30_000) {
      const before = videoCalls();
      await tick(at(t));
      if (videoCalls() > before) callTimes.push((t - HOUR) / 1000);
    }
    expect(callTimes).toEqual([0, 60, 180]);
    expect((await snapshots()).map((s) => s.capturedAt)).toEqual([at(30 * MINUTE), at(HOUR + 3 * MINUTE)]);
  });
});

function rateLimitBody() {
  const message = "The request cannot be completed because you have exceeded your rate limit.";
  return {
    error: {
      code: 429,
      message,
      errors: [{ message, domain: "youtube.quota", reason: "rateLimitExceeded" }],
    },
  };
}

function unavailableBody() {
  const message = "The service is currently unavailable.";
  return { error: { code: 503, message, errors: [{ message, domain: "global", reason: "backendError" }] } };
}
