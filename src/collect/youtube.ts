import { z } from "zod";
import {
  CollectError,
  type Collected,
  type Collector,
  NO_COUNTERS,
  type PlatformAnswer,
  type PlatformEndpoint,
  type PostRef,
  platformCall,
} from "./collector.ts";

/**
 * YouTube Data API v3 with an API key: `videos.list` (part=statistics,snippet, up to 50 ids a call) for
 * views, likes and comments, `channels.list` for the channel's handle and subscribers. Each list call
 * costs one quota unit. YouTube gives no shares, saves, reach or impressions: those stay null.
 */
export const YOUTUBE_API_URL = "https://www.googleapis.com/youtube/v3";
const BATCH = 50;

const count = z.string().regex(/^\d+$/).transform(Number).optional();

const videoList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      snippet: z.object({ publishedAt: z.iso.datetime({ offset: true }), channelId: z.string() }),
      statistics: z.object({ viewCount: count, likeCount: count, commentCount: count }).default({}),
    }),
  ),
});

const channelList = z.object({
  items: z
    .array(
      z.object({
        id: z.string(),
        snippet: z.object({ title: z.string(), customUrl: z.string().optional() }),
        statistics: z.object({ subscriberCount: count, hiddenSubscriberCount: z.boolean().optional() }),
      }),
    )
    .default([]),
});

const googleError = z.object({
  error: z.object({
    code: z.number(),
    message: z.string(),
    errors: z.array(z.object({ reason: z.string() })).default([]),
    details: z.array(z.object({ reason: z.string().optional() })).default([]),
  }),
});

export interface YouTubeOptions extends PlatformEndpoint {
  apiKey: string;
}

export function youtubeCollector(options: YouTubeOptions): Collector {
  const call = (path: string, query: Record<string, string>) => getJson(options, path, query);
  return {
    platform: "youtube",
    batchSize: BATCH,
    batchKey: () => "",
    async collect(posts: PostRef[]): Promise<Collected> {
      const postIds = posts.map((post) => post.postId);
      if (postIds.length > BATCH) throw new RangeError(`videos.list takes at most ${BATCH} ids`);
      const videos = videoList.parse(
        await call("videos", {
          part: "statistics,snippet",
          id: postIds.join(","),
          maxResults: String(BATCH),
        }),
      ).items;
      const channelIds = [...new Set(videos.map((video) => video.snippet.channelId))];
      const channels = channelIds.length
        ? channelList.parse(await call("channels", { part: "snippet,statistics", id: channelIds.join(",") }))
            .items
        : [];
      const channelById = new Map(channels.map((channel) => [channel.id, channel]));
      const found = new Set(videos.map((video) => video.id));
      return {
        posts: videos.map((video) => {
          const channel = channelById.get(video.snippet.channelId);
          return {
            postId: video.id,
            publishedAt: new Date(video.snippet.publishedAt),
            creator: {
              handle: channelHandle(channel, video.snippet.channelId),
              followers:
                channel && !channel.statistics.hiddenSubscriberCount
                  ? (channel.statistics.subscriberCount ?? null)
                  : null,
            },
            counters: {
              ...NO_COUNTERS,
              views: video.statistics.viewCount ?? null,
              likes: video.statistics.likeCount ?? null,
              comments: video.statistics.commentCount ?? null,
            },
          };
        }),
        gone: new Map(
          postIds.filter((id) => !found.has(id)).map((id) => [id, "deleted or private on YouTube"]),
        ),
        credentialProblems: [],
        pauseMs: null,
      };
    },
  };
}

function channelHandle(
  channel: z.infer<typeof channelList>["items"][number] | undefined,
  channelId: string,
): string {
  const custom = channel?.snippet.customUrl;
  return (custom ? custom.replace(/^@/, "") : channelId).toLowerCase();
}

async function getJson(
  options: YouTubeOptions,
  path: string,
  query: Record<string, string>,
): Promise<unknown> {
  const answer = await platformCall(options, YOUTUBE_API_URL, path, {
    query: { ...query, key: options.apiKey },
    headers: { accept: "application/json" },
  });
  if (answer.ok) return answer.body;
  throw toCollectError(answer);
}

function toCollectError({ status, body, retryAfterMs }: PlatformAnswer): CollectError {
  const parsed = googleError.safeParse(body);
  const reasons = parsed.success
    ? [
        ...parsed.data.error.errors.map((e) => e.reason),
        ...parsed.data.error.details.map((d) => d.reason ?? ""),
      ]
    : [];
  if (reasons.some((reason) => ["quotaExceeded", "dailyLimitExceeded"].includes(reason))) {
    return new CollectError(
      "quota",
      "YouTube's daily quota for this API key is used up.",
      untilMidnightPacific(),
    );
  }
  if (
    reasons.some((reason) => ["keyInvalid", "API_KEY_INVALID", "keyExpired", "forbidden"].includes(reason))
  ) {
    return new CollectError(
      "credentials",
      "YouTube refused the API key: set a valid YouTube Data API v3 key.",
    );
  }
  if (status === 429 || status >= 500) {
    return new CollectError("retry", `YouTube answered ${status}.`, retryAfterMs);
  }
  return new CollectError("refused", `YouTube refused the request (${status}).`);
}

/** YouTube's quota resets at midnight Pacific time. */
function untilMidnightPacific(now = new Date()): number {
  const pacific = new Date(now.toLocaleString("en-US", { timeZone: "America/Los_Angeles" }));
  const midnight = new Date(pacific);
  midnight.setHours(24, 0, 0, 0);
  return midnight.getTime() - pacific.getTime();
}
