import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CollectError } from "../../src/collect/collector.ts";
import { tiktokCollector } from "../../src/collect/tiktok.ts";
import { mayaPosts } from "./mayaStubs.ts";
import { errorBody, startTikTokStub, type TikTokStub } from "./tiktokStub.ts";

const VIDEO = "7311234567890123456";
let stub: TikTokStub;

beforeAll(async () => {
  stub = await startTikTokStub();
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.reset();
  stub.users.set("act.maya", { username: "maya.runs", follower_count: 48200 });
  stub.users.set("act.lee", { username: "lee.cooks", follower_count: 900 });
  stub.videos.set(VIDEO, {
    owner: "maya.runs",
    create_time: 1_795_712_400,
    like_count: 5120,
    comment_count: 310,
    share_count: 365,
    view_count: 120400,
  });
});

const tokens: Record<string, string> = { "maya.runs": "act.maya", "not.maya": "act.lee" };
const collector = () =>
  tiktokCollector({ baseUrl: stub.url, creatorToken: async (handle) => tokens[handle] ?? null });

describe("TikTok collector", () => {
  it("reads likes, comments, shares and views with the creator's token, and the creator's followers; saves, reach and impressions stay null", async () => {
    expect(await collector().collect(mayaPosts(VIDEO))).toEqual({
      posts: [
        {
          postId: VIDEO,
          publishedAt: new Date(1_795_712_400_000),
          creator: { handle: "maya.runs", followers: 48200 },
          counters: {
            views: 120400,
            likes: 5120,
            comments: 310,
            shares: 365,
            saves: null,
            impressions: null,
            reach: null,
          },
        },
      ],
      gone: new Map(),
      credentialProblems: [],
      pauseMs: null,
    });
    expect(stub.calls).toEqual([
      {
        method: "GET",
        path: "/v2/user/info/",
        fields: "open_id,username,follower_count",
        authorization: "Bearer act.maya",
        body: null,
      },
      {
        method: "POST",
        path: "/v2/video/query/",
        fields: "id,create_time,like_count,comment_count,share_count,view_count",
        authorization: "Bearer act.maya",
        body: { filters: { video_ids: [VIDEO] } },
      },
    ]);
  });

  it("reports a video TikTok does not return for the creator's token as gone, with the reason", async () => {
    const collected = await collector().collect(mayaPosts(VIDEO, "7300000000000000001"));
    expect(collected.posts.map((post) => post.postId)).toEqual([VIDEO]);
    expect([...collected.gone]).toEqual([
      ["7300000000000000001", "deleted or private on TikTok, or not @maya.runs's video"],
    ]);
  });

  it("a missing, invalid or someone else's token is a credentials problem of that creator", async () => {
    await expect(collector().collect([{ postId: VIDEO, handle: "nobody" }])).rejects.toEqual(
      new CollectError("credentials", "No TikTok token is connected for @nobody.", null, "nobody"),
    );

    stub.users.delete("act.maya");
    await expect(collector().collect(mayaPosts(VIDEO))).rejects.toEqual(
      new CollectError(
        "credentials",
        "TikTok refused @maya.runs's token (invalid or expired): the creator authorises the app again.",
        null,
        "maya.runs",
      ),
    );

    await expect(collector().collect([{ postId: VIDEO, handle: "not.maya" }])).rejects.toEqual(
      new CollectError(
        "credentials",
        "The TikTok token connected for @not.maya is @lee.cooks's.",
        null,
        "not.maya",
      ),
    );
  });

  it("429 rate_limit_exceeded with and without Retry-After, and 5xx, are retried", async () => {
    const limited = errorBody(
      "rate_limit_exceeded",
      "The API rate limit was exceeded. Please try again later.",
    );
    stub.failures.push({ status: 429, headers: { "retry-after": "60" }, body: limited });
    await expect(collector().collect(mayaPosts(VIDEO))).rejects.toEqual(
      new CollectError("retry", "TikTok answered 429 (rate_limit_exceeded).", 60_000),
    );
    stub.failures.push({ status: 429, body: limited });
    await expect(collector().collect(mayaPosts(VIDEO))).rejects.toEqual(
      new CollectError("retry", "TikTok answered 429 (rate_limit_exceeded).", null),
    );
    stub.failures.push({ status: 502, body: "<html>Bad gateway</html>" });
    await expect(collector().collect(mayaPosts(VIDEO))).rejects.toEqual(
      new CollectError("retry", "TikTok answered 502.", null),
    );
  });

  it("batches per creator, at most 20 videos a call", async () => {
    const tiktok = collector();
    expect([tiktok.batchSize, tiktok.batchKey({ postId: VIDEO, handle: "maya.runs" })]).toEqual([
      20,
      "maya.runs",
    ]);
    const ids = Array.from({ length: 21 }, (_, i) => String(7_300_000_000_000_000_000n + BigInt(i)));
    await expect(tiktok.collect(mayaPosts(...ids))).rejects.toThrow("video/query takes at most 20 ids");
    expect(stub.calls).toHaveLength(0);
  });
});
