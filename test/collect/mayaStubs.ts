import type { PostRef } from "../../src/collect/collector.ts";
import type { CollectorEndpoints } from "../../src/collect/connected.ts";
import { type InstagramStub, startInstagramStub } from "./instagramStub.ts";
import { startTikTokStub, type TikTokStub } from "./tiktokStub.ts";
import { startYouTubeStub, type YouTubeStub } from "./youtubeStub.ts";

/** Posts of @maya.runs as the schedule hands them to a collector. */
export const mayaPosts = (...ids: string[]): PostRef[] =>
  ids.map((postId) => ({ postId, handle: "maya.runs" }));

export interface MayaStubs {
  youtube: YouTubeStub;
  instagram: InstagramStub;
  tiktok: TikTokStub;
  endpoints: CollectorEndpoints;
  close(): Promise<void>;
}

/**
 * The three platforms' loopback APIs, each holding one post of @maya.runs (48,200 followers)
 * published 2026-11-20T17:00Z. Keys: YouTube "yt-key", Instagram business "EAAB-business" and
 * Maya's own "EAAB-maya", TikTok Maya's "act.maya".
 */
export async function startMayaStubs(): Promise<MayaStubs> {
  const [youtube, instagram, tiktok] = await Promise.all([
    startYouTubeStub("yt-key"),
    startInstagramStub("EAAB-business"),
    startTikTokStub(),
  ]);
  youtube.channels.set("UCmaya", {
    id: "UCmaya",
    title: "Maya",
    customUrl: "@maya.runs",
    subscriberCount: "48200",
  });
  youtube.videos.set("dQw4w9WgXcQ", {
    id: "dQw4w9WgXcQ",
    channelId: "UCmaya",
    publishedAt: "2026-11-20T17:00:00Z",
    statistics: { viewCount: "100", likeCount: "7", commentCount: "2" },
  });
  instagram.accounts.set("maya.runs", {
    followers_count: 48200,
    media: [
      {
        id: "17895695668004550",
        shortcode: "C1a2b3Reel",
        timestamp: "2026-11-20T17:00:00+0000",
        like_count: 51,
        comments_count: 3,
        media_product_type: "REELS",
        insights: { reach: 400, saved: 8, shares: 3, views: 1200 },
      },
    ],
  });
  instagram.creatorTokens.set("EAAB-maya", "maya.runs");
  tiktok.users.set("act.maya", { username: "maya.runs", follower_count: 48200 });
  tiktok.videos.set("7311234567890123456", {
    owner: "maya.runs",
    create_time: Date.parse("2026-11-20T17:00:00Z") / 1000,
    like_count: 5,
    comment_count: 1,
    share_count: 2,
    view_count: 90,
  });
  return {
    youtube,
    instagram,
    tiktok,
    endpoints: { youtube: youtube.url, instagram: instagram.url, tiktok: tiktok.url },
    close: async () => {
      await Promise.all([youtube.close(), instagram.close(), tiktok.close()]);
    },
  };
}
