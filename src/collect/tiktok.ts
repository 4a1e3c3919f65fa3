import { z } from "zod";
import {
  CollectError,
  type Collected,
  type Collector,
  NO_COUNTERS,
  type PlatformAnswer,
  type PlatformEndpoint,
  type PostRef,
  perCreatorCollector,
  platformCall,
} from "./collector.ts";

/**
 * TikTok API v2 (Display API) with the creator's own user access token (Bearer): `POST
 * /v2/video/query/` (at most 20 ids; only the token owner's videos come back) for likes, comments,
 * shares and views, `GET /v2/user/info/` for the username and followers. TikTok gives no saves,
 * reach or impressions: those stay null.
 */
export const TIKTOK_API_URL = "https://open.tiktokapis.com";
const BATCH = 20;
const VIDEO_FIELDS = "id,create_time,like_count,comment_count,share_count,view_count";
const USER_FIELDS = "open_id,username,follower_count";

const count = z.number().int().nonnegative().optional();

const errorEnvelope = z.object({
  code: z.string(),
  message: z.string().default(""),
  log_id: z.string().optional(),
});

const videoQuery = z.object({
  data: z.object({
    videos: z
      .array(
        z.object({
          id: z.string(),
          create_time: z.number().int(),
          like_count: count,
          comment_count: count,
          share_count: count,
          view_count: count,
        }),
      )
      .default([]),
  }),
  error: errorEnvelope,
});

const userInfo = z.object({
  data: z.object({
    user: z.object({ username: z.string().optional(), follower_count: count }).default({}),
  }),
  error: errorEnvelope,
});

const errorBody = z.object({ error: errorEnvelope });

export interface TikTokOptions extends PlatformEndpoint {
  /** The token the creator gave by authorising the brand's app; null when none is connected. */
  creatorToken: (handle: string) => Promise<string | null>;
}

export function tiktokCollector(options: TikTokOptions): Collector {
  return perCreatorCollector(
    "tiktok",
    BATCH,
    "TikTok videos are read with their creator's token: each call needs the videos of one creator, with the handle.",
    (handle, posts) => collectCreator(options, handle, posts),
  );
}

async function collectCreator(options: TikTokOptions, handle: string, posts: PostRef[]): Promise<Collected> {
  if (posts.length > BATCH) throw new RangeError(`video/query takes at most ${BATCH} ids`);
  const token = await options.creatorToken(handle);
  if (!token) {
    throw new CollectError("credentials", `No TikTok token is connected for @${handle}.`, null, handle);
  }
  const call = (path: string, init: RequestInit) => tiktokCall(options, token, handle, path, init);
  const user = userInfo.parse(await call(`v2/user/info/?fields=${USER_FIELDS}`, { method: "GET" })).data.user;
  const owner = user.username?.toLowerCase();
  if (owner && owner !== handle) {
    throw new CollectError(
      "credentials",
      `The TikTok token connected for @${handle} is @${owner}'s.`,
      null,
      handle,
    );
  }
  const ids = posts.map((post) => post.postId);
  const videos = videoQuery.parse(
    await call(`v2/video/query/?fields=${VIDEO_FIELDS}`, {
      method: "POST",
      body: JSON.stringify({ filters: { video_ids: ids } }),
    }),
  ).data.videos;
  const found = new Set(videos.map((video) => video.id));
  return {
    posts: videos.map((video) => ({
      postId: video.id,
      publishedAt: new Date(video.create_time * 1000),
      creator: { handle, followers: user.follower_count ?? null },
      counters: {
        ...NO_COUNTERS,
        likes: video.like_count ?? null,
        comments: video.comment_count ?? null,
        shares: video.share_count ?? null,
        views: video.view_count ?? null,
      },
    })),
    gone: new Map(
      ids
        .filter((id) => !found.has(id))
        .map((id) => [id, `deleted or private on TikTok, or not @${handle}'s video`]),
    ),
    credentialProblems: [],
    pauseMs: null,
  };
}

async function tiktokCall(
  options: TikTokOptions,
  token: string,
  handle: string,
  path: string,
  init: RequestInit,
): Promise<unknown> {
  const answer = await platformCall(options, TIKTOK_API_URL, path, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  });
  const parsed = errorBody.safeParse(answer.body);
  const code = parsed.success ? parsed.data.error.code : null;
  if (answer.ok && code === "ok") return answer.body;
  throw toCollectError(answer, code, handle);
}

function toCollectError(answer: PlatformAnswer, code: string | null, handle: string): CollectError {
  if (code === "access_token_invalid") {
    return new CollectError(
      "credentials",
      `TikTok refused @${handle}'s token (invalid or expired): the creator authorises the app again.`,
      null,
      handle,
    );
  }
  if (code === "scope_not_authorized" || code === "scope_permission_missed") {
    return new CollectError(
      "credentials",
      `@${handle}'s TikTok token lacks a permission (video.list, user.info.basic, user.info.profile, user.info.stats).`,
      null,
      handle,
    );
  }
  if (answer.status === 429 || code === "rate_limit_exceeded" || answer.status >= 500) {
    return new CollectError(
      "retry",
      `TikTok answered ${answer.status}${code ? ` (${code})` : ""}.`,
      answer.retryAfterMs,
    );
  }
  return new CollectError(
    "refused",
    `TikTok refused the request (${answer.status}${code ? `: ${code}` : ""}).`,
  );
}
