import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CollectError } from "../../src/collect/collector.ts";
import { youtubeCollector } from "../../src/collect/youtube.ts";
import { quotaExceededBody, startYouTubeStub, type YouTubeStub } from "./youtubeStub.ts";

const KEY = "yt-test-key";
let stub: YouTubeStub;

beforeAll(async () => {
  stub = await startYouTubeStub(KEY);
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.reset();
  stub.channels.set("UCmaya", {
    id: "UCmaya",
    title: "Maya Runs",
    customUrl: "@Maya.Runs",
    subscriberCount: "48200",
  });
  stub.videos.set("dQw4w9WgXcQ", {
    id: "dQw4w9WgXcQ",
    channelId: "UCmaya",
    publishedAt: "2026-11-20T17:00:00Z",
    statistics: { viewCount: "120400", likeCount: "5120", favoriteCount: "0", commentCount: "310" },
  });
});

const collector = () => youtubeCollector({ apiKey: KEY, baseUrl: stub.url });
const refs = (...ids: string[]) => ids.map((postId) => ({ postId, handle: null }));

describe("YouTube collector", () => {
  it("reads views, likes and comments, the channel's handle and subscribers; what YouTube does not give stays null", async () => {
    const collected = await collector().collect(refs("dQw4w9WgXcQ"));
    expect(collected.posts).toEqual([
      {
        postId: "dQw4w9WgXcQ",
        publishedAt: new Date("2026-11-20T17:00:00Z"),
        creator: { handle: "maya.runs", followers: 48200 },
        counters: {
          views: 120400,
          likes: 5120,
          comments: 310,
          shares: null,
          saves: null,
          impressions: null,
          reach: null,
        },
      },
    ]);
    expect(collected.gone.size).toBe(0);
    expect(collected.credentialProblems).toEqual([]);
    expect(collected.pauseMs).toBeNull();
    expect(
      stub.calls.map((call) => [call.pathname, call.searchParams.get("part"), call.searchParams.get("id")]),
    ).toEqual([
      ["/youtube/v3/videos", "statistics,snippet", "dQw4w9WgXcQ"],
      ["/youtube/v3/channels", "snippet,statistics", "UCmaya"],
    ]);
  });

  it("keeps a hidden like count and a hidden subscriber count blank, not 0", async () => {
    stub.videos.set("hiddenLikes", {
      id: "hiddenLikes",
      channelId: "UCshy",
      publishedAt: "2026-11-21T08:00:00Z",
      statistics: { viewCount: "900", favoriteCount: "0", commentCount: "4" },
    });
    stub.channels.set("UCshy", {
      id: "UCshy",
      title: "Shy",
      subscriberCount: "0",
      hiddenSubscriberCount: true,
    });
    const [post] = (await collector().collect(refs("hiddenLikes"))).posts;
    expect(post?.counters.likes).toBeNull();
    expect(post?.creator).toEqual({ handle: "ucshy", followers: null });
  });

  it("reports a video YouTube no longer lists as gone, with the reason", async () => {
    const collected = await collector().collect(refs("dQw4w9WgXcQ", "deleted0001"));
    expect(collected.posts.map((post) => post.postId)).toEqual(["dQw4w9WgXcQ"]);
    expect([...collected.gone]).toEqual([["deleted0001", "deleted or private on YouTube"]]);
  });

  it("maps YouTube's errors to what the schedule does next", async () => {
    stub.failures.push({ status: 403, body: quotaExceededBody() });
    const quota = await collector()
      .collect(refs("dQw4w9WgXcQ"))
      .catch((error: CollectError) => error);
    expect(quota).toMatchObject({
      kind: "quota",
      message: "YouTube's daily quota for this API key is used up.",
    });
    expect((quota as CollectError).retryAfterMs).toBeGreaterThan(0);
    expect((quota as CollectError).retryAfterMs).toBeLessThanOrEqual(86_400_000);

    stub.failures.push({
      status: 429,
      headers: { "retry-after": "30" },
      body: { error: { code: 429, message: "Too many", errors: [{ reason: "rateLimitExceeded" }] } },
    });
    await expect(collector().collect(refs("dQw4w9WgXcQ"))).rejects.toEqual(
      new CollectError("retry", "YouTube answered 429.", 30_000),
    );

    stub.failures.push({
      status: 503,
      body: { error: { code: 503, message: "Backend Error", errors: [{ reason: "backendError" }] } },
    });
    await expect(collector().collect(refs("dQw4w9WgXcQ"))).rejects.toMatchObject({
      kind: "retry",
      retryAfterMs: null,
    });

    await expect(
      youtubeCollector({ apiKey: "wrong", baseUrl: stub.url }).collect(refs("dQw4w9WgXcQ")),
    ).rejects.toEqual(
      new CollectError("credentials", "YouTube refused the API key: set a valid YouTube Data API v3 key."),
    );
  });

  it("takes at most 50 ids a call", async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `id${String(i).padStart(9, "0")}`);
    await expect(collector().collect(refs(...ids))).rejects.toThrow("videos.list takes at most 50 ids");
  });
});
