import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CollectError } from "../../src/collect/collector.ts";
import { instagramCollector } from "../../src/collect/instagram.ts";
import {
  appRateLimitBody,
  BUSINESS_ACCOUNT_ID,
  expiredTokenBody,
  type InstagramStub,
  type StubMedia,
  startInstagramStub,
} from "./instagramStub.ts";
import { mayaPosts } from "./mayaStubs.ts";

const BUSINESS_TOKEN = "EAAB-business";
let stub: InstagramStub;

/** `n` older posts of a creator, newest first, after the ones a test puts in front. */
function filler(n: number): StubMedia[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(18_000_000_000 + i),
    shortcode: `Filler${String(i).padStart(4, "0")}`,
    timestamp: "2026-09-01T12:00:00+0000",
    like_count: 10,
    comments_count: 1,
    media_product_type: "FEED" as const,
  }));
}

const reel: StubMedia = {
  id: "17895695668004550",
  shortcode: "C1a2b3Reel",
  timestamp: "2026-11-20T17:00:00+0000",
  like_count: 5120,
  comments_count: 310,
  media_product_type: "REELS",
  insights: { reach: 40100, saved: 820, shares: 365, views: 120400 },
};

beforeAll(async () => {
  stub = await startInstagramStub(BUSINESS_TOKEN);
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.reset();
  stub.accounts.set("maya.runs", { followers_count: 48200, media: [reel, ...filler(3)] });
});

const collector = (creatorTokens: Record<string, string> = {}) =>
  instagramCollector({
    accountId: BUSINESS_ACCOUNT_ID,
    accessToken: BUSINESS_TOKEN,
    baseUrl: stub.url,
    creatorToken: async (handle) => creatorTokens[handle] ?? null,
  });

describe("Instagram collector", () => {
  it("reads likes, comments and followers through Business Discovery; without the creator's token reach, saves, shares and views stay null", async () => {
    const collected = await collector().collect(mayaPosts("C1a2b3Reel"));
    expect(collected).toEqual({
      posts: [
        {
          postId: "C1a2b3Reel",
          publishedAt: new Date("2026-11-20T17:00:00Z"),
          creator: { handle: "maya.runs", followers: 48200 },
          counters: {
            views: null,
            likes: 5120,
            comments: 310,
            shares: null,
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
    expect(stub.calls.map((call) => [call.pathname, call.searchParams.get("fields")])).toEqual([
      [
        `/v25.0/${BUSINESS_ACCOUNT_ID}`,
        "business_discovery.username(maya.runs){followers_count,media.limit(50){id,permalink,timestamp,like_count,comments_count,media_product_type}}",
      ],
    ]);
  });

  it("fills reach, saves, shares and views from the creator's own token; a hidden like count stays null", async () => {
    stub.creatorTokens.set("EAAB-maya", "maya.runs");
    stub.accounts.set("maya.runs", {
      followers_count: 48200,
      media: [{ ...reel, like_count: undefined, insights: { reach: 40100, saved: 820 } }],
    });
    const [post] = (await collector({ "maya.runs": "EAAB-maya" }).collect(mayaPosts("C1a2b3Reel"))).posts;
    expect(post?.counters).toEqual({
      views: null,
      likes: null,
      comments: 310,
      shares: null,
      saves: 820,
      impressions: null,
      reach: 40100,
    });
    const insightsCall = stub.calls[1];
    expect([insightsCall?.pathname, insightsCall?.searchParams.get("metric")]).toEqual([
      "/v25.0/17895695668004550/insights",
      "reach,saved,shares,views",
    ]);
    expect(insightsCall?.searchParams.get("access_token")).toBe("EAAB-maya");
  });

  it("pages with the after cursor until it finds the shortcode", async () => {
    const old = { ...filler(1)[0], id: "17000000000000001", shortcode: "OldPost123" } as StubMedia;
    stub.accounts.set("maya.runs", { followers_count: 48200, media: [...filler(120), old] });
    const collected = await collector().collect(mayaPosts("OldPost123"));
    expect(collected.posts.map((post) => [post.postId, post.counters.likes])).toEqual([["OldPost123", 10]]);
    const fields = stub.calls.map((call) => call.searchParams.get("fields") ?? "");
    expect(fields.map((field) => /\.after\(([^)]+)\)/.exec(field)?.[1] ?? null)).toEqual([
      null,
      Buffer.from("50").toString("base64"),
      Buffer.from("100").toString("base64"),
    ]);
  });

  it("reports a post Business Discovery no longer lists, and every post of an account that is not discoverable, as gone", async () => {
    const collected = await collector().collect(mayaPosts("C1a2b3Reel", "Deleted999"));
    expect(collected.posts.map((post) => post.postId)).toEqual(["C1a2b3Reel"]);
    expect([...collected.gone]).toEqual([
      ["Deleted999", "no longer on @maya.runs's Instagram (deleted, archived or made private)"],
    ]);

    const personal = await instagramCollector({
      accountId: BUSINESS_ACCOUNT_ID,
      accessToken: BUSINESS_TOKEN,
      baseUrl: stub.url,
    }).collect([{ postId: "Abcdef12345", handle: "went.personal" }]);
    expect(personal.posts).toEqual([]);
    expect([...personal.gone]).toEqual([
      ["Abcdef12345", "@went.personal is no longer an Instagram business or creator account"],
    ]);
  });

  it("an expired business token stops the call as a credentials problem of the workspace; an expired creator token only leaves the insights blank", async () => {
    // toEqual compares a CollectError's fields too: the subject is null, the workspace's own token.
    await expect(
      instagramCollector({
        accountId: BUSINESS_ACCOUNT_ID,
        accessToken: "EAAB-old",
        baseUrl: stub.url,
      }).collect(mayaPosts("C1a2b3Reel")),
    ).rejects.toEqual(
      new CollectError(
        "credentials",
        "Instagram refused the business account's access token: Error validating access token: Session has expired on Monday, 30-Nov-26 10:00:00 PST.",
        null,
        null,
      ),
    );

    const collected = await collector({ "maya.runs": "EAAB-maya-expired" }).collect(mayaPosts("C1a2b3Reel"));
    expect(collected.posts[0]?.counters).toMatchObject({ likes: 5120, reach: null, saves: null });
    expect(collected.credentialProblems).toEqual([
      {
        subject: "maya.runs",
        problem:
          "Instagram refused @maya.runs's token for insights: Error validating access token: Session has expired on Monday, 30-Nov-26 10:00:00 PST.",
      },
    ]);
  });

  it("429 with and without Retry-After, and a throttled app (code 4) waiting as long as X-Business-Use-Case-Usage says", async () => {
    stub.failures.push({ status: 429, headers: { "retry-after": "120" }, body: appRateLimitBody() });
    await expect(collector().collect(mayaPosts("C1a2b3Reel"))).rejects.toEqual(
      new CollectError("retry", "Instagram's rate limit is reached.", 120_000),
    );

    stub.failures.push({ status: 429, body: { error: { message: "Too many calls", code: 613 } } });
    await expect(collector().collect(mayaPosts("C1a2b3Reel"))).rejects.toEqual(
      new CollectError("retry", "Instagram's rate limit is reached.", null),
    );

    stub.failures.push({
      status: 400,
      headers: {
        "x-business-use-case-usage": JSON.stringify({
          "17841405309211844": [
            {
              type: "instagram",
              call_count: 100,
              total_cputime: 40,
              total_time: 45,
              estimated_time_to_regain_access: 7,
            },
          ],
        }),
      },
      body: appRateLimitBody(),
    });
    await expect(collector().collect(mayaPosts("C1a2b3Reel"))).rejects.toEqual(
      new CollectError("retry", "Instagram's rate limit is reached.", 7 * 60_000),
    );

    stub.failures.push({
      status: 500,
      body: { error: { message: "An unknown error occurred", code: 1, is_transient: true } },
    });
    await expect(collector().collect(mayaPosts("C1a2b3Reel"))).rejects.toEqual(
      new CollectError("retry", "Instagram answered 500.", null),
    );
  });

  it("usage headers near the limit pause the platform: no further page or insights call, posts not reached stay neither collected nor gone", async () => {
    stub.creatorTokens.set("EAAB-maya", "maya.runs");
    const old = { ...filler(1)[0], id: "17000000000000001", shortcode: "OldPost123" } as StubMedia;
    stub.accounts.set("maya.runs", { followers_count: 48200, media: [reel, ...filler(60), old] });
    stub.usageHeaders = {
      "x-app-usage": JSON.stringify({ call_count: 92, total_time: 30, total_cputime: 25 }),
    };
    const collected = await collector({ "maya.runs": "EAAB-maya" }).collect(
      mayaPosts("C1a2b3Reel", "OldPost123"),
    );
    expect(collected.pauseMs).toBe(15 * 60_000);
    expect(collected.posts.map((post) => [post.postId, post.counters.reach])).toEqual([["C1a2b3Reel", null]]);
    expect(collected.gone.size).toBe(0);
    expect(stub.calls).toHaveLength(1);

    stub.calls.length = 0;
    stub.usageHeaders = {
      "x-app-usage": JSON.stringify({ call_count: 40, total_time: 12, total_cputime: 10 }),
      "x-business-use-case-usage": JSON.stringify({
        "17841405309211844": [
          {
            type: "instagram",
            call_count: 45,
            total_cputime: 95,
            total_time: 60,
            estimated_time_to_regain_access: 12,
          },
        ],
      }),
    };
    expect((await collector().collect(mayaPosts("C1a2b3Reel"))).pauseMs).toBe(12 * 60_000);

    stub.usageHeaders = {
      "x-app-usage": JSON.stringify({ call_count: 89, total_time: 10, total_cputime: 10 }),
    };
    expect((await collector().collect(mayaPosts("C1a2b3Reel"))).pauseMs).toBeNull();
  });

  it("batches per creator and refuses a post without its creator's handle", async () => {
    const instagram = collector();
    expect(instagram.batchKey({ postId: "C1a2b3Reel", handle: "maya.runs" })).toBe("maya.runs");
    await expect(instagram.collect([{ postId: "C1a2b3Reel", handle: "x){id}" }])).rejects.toBeInstanceOf(
      CollectError,
    );
    await expect(instagram.collect([{ postId: "C1a2b3Reel", handle: null }])).rejects.toEqual(
      new CollectError(
        "refused",
        "Instagram posts are read through their creator's account: each call needs the posts of one creator, with the handle.",
      ),
    );
    expect(stub.calls).toHaveLength(0);
  });
});

// The stub itself answers the documented shapes (used above): an unknown token is code 190.
it("stub: an unknown business token gets the documented expired-token body", async () => {
  const response = await fetch(`${stub.url}/${BUSINESS_ACCOUNT_ID}?fields=x&access_token=nope`);
  expect([response.status, await response.json()]).toEqual([400, expiredTokenBody()]);
});
