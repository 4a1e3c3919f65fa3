import { retryAfterMs } from "../retryAfter.ts";
import type { CollectedPlatform } from "./postLink.ts";

/** Cumulative counters as a platform reports them; `null` where the platform does not give one. */
export interface CollectedCounters {
  views: number | null;
  likes: number | null;
  comments: number | null;
  shares: number | null;
  saves: number | null;
  impressions: number | null;
  reach: number | null;
}

export interface CollectedPost {
  postId: string;
  publishedAt: Date;
  creator: { handle: string; followers: number | null };
  counters: CollectedCounters;
}

/** A tracked post as a collector needs it: the platform's id of the post and the creator's handle. */
export interface PostRef {
  postId: string;
  /** Without "@". Instagram (Business Discovery) and TikTok (the creator's token) need it; YouTube does not. */
  handle: string | null;
}

/**
 * Whose credential: null for the workspace's own (YouTube API key, Instagram business account), a
 * creator's handle for a token that creator authorised (TikTok, Instagram insights).
 */
export type CredentialSubject = string | null;

/**
 * What one collection call brought back: the posts found, and those the platform no longer shows. A
 * post in neither was not reached this time (the call stopped early, usage near the platform's limit):
 * collect it again after `pauseMs`.
 */
export interface Collected {
  posts: CollectedPost[];
  /** Post id → why it is gone ("deleted or private"). */
  gone: Map<string, string>;
  /**
   * The platform's usage headers say its limit is near (Graph API `X-App-Usage` /
   * `X-Business-Use-Case-Usage`): make no further call to it for this long. Null: carry on.
   */
  pauseMs: number | null;
  /**
   * Credentials that failed without stopping the call (a creator's Instagram insights token expired:
   * the public counters were still read, the insights stay null). The schedule marks each one.
   */
  credentialProblems: { subject: CredentialSubject; problem: string }[];
}

/**
 * Why a platform call failed, in the terms the collection schedule acts on:
 * - `retry`: 429 or 5xx; try the same posts again after `retryAfterMs` (the platform's, or null);
 * - `quota`: the day's quota is spent; try again after `retryAfterMs`;
 * - `credentials`: the token or key is missing, wrong or expired; nothing runs until it is replaced;
 * - `refused`: the platform refused this request for another reason (its message says which).
 */
export class CollectError extends Error {
  constructor(
    readonly kind: "retry" | "quota" | "credentials" | "refused",
    message: string,
    readonly retryAfterMs: number | null = null,
    /** For `credentials`: whose credential failed. */
    readonly subject: CredentialSubject = null,
  ) {
    super(message);
    this.name = "CollectError";
  }
}

export interface Collector {
  platform: CollectedPlatform;
  /** The most post ids one call takes. */
  batchSize: number;
  /**
   * Posts with the same key may share one `collect` call: YouTube takes any mix, Instagram and TikTok
   * one creator's posts (one Business Discovery lookup, one creator's token).
   */
  batchKey(post: PostRef): string;
  collect(posts: PostRef[]): Promise<Collected>;
}

export const NO_COUNTERS: CollectedCounters = {
  views: null,
  likes: null,
  comments: null,
  shares: null,
  saves: null,
  impressions: null,
  reach: null,
};

/** A response body as JSON, or null when it is not JSON (an error page from a proxy). */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * A collector whose every call reads one creator's posts (Instagram's Business Discovery, TikTok's
 * creator token): posts are batched by handle, and a call of posts that are not all one creator's,
 * each with a handle, is refused with `oneCreatorRule` before anything is asked of the platform.
 */
export function perCreatorCollector(
  platform: CollectedPlatform,
  batchSize: number,
  oneCreatorRule: string,
  collect: (handle: string, posts: PostRef[]) => Promise<Collected>,
): Collector {
  return {
    platform,
    batchSize,
    batchKey: (post) => post.handle ?? "",
    async collect(posts) {
      const handle = posts[0]?.handle;
      if (!handle || posts.some((post) => post.handle !== handle)) {
        throw new CollectError("refused", oneCreatorRule);
      }
      return collect(handle, posts);
    },
  };
}

/** Where a collector reaches its platform: another API URL (a loopback stub in tests), another fetch. */
export interface PlatformEndpoint {
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** What a platform answered, whatever the status. */
export interface PlatformAnswer {
  ok: boolean;
  status: number;
  headers: Headers;
  /** The body as JSON; null when it is not JSON (an error page from a proxy). */
  body: unknown;
  /** The answer's `Retry-After`, in milliseconds; null when absent or unreadable. */
  retryAfterMs: number | null;
}

/**
 * One HTTP call to `path` (which may carry its own query) below the platform's API URL, the
 * endpoint's or `apiUrl`, with `query` added. Each platform reads the answer, failed or not, by its
 * own documented rules.
 */
export async function platformCall(
  endpoint: PlatformEndpoint,
  apiUrl: string,
  path: string,
  { query = {}, ...init }: RequestInit & { query?: Record<string, string> },
): Promise<PlatformAnswer> {
  const url = new URL(`${(endpoint.baseUrl ?? apiUrl).replace(/\/$/, "")}/${path}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const response = await (endpoint.fetch ?? fetch)(url, init);
  return {
    ok: response.ok,
    status: response.status,
    headers: response.headers,
    body: safeJson(await response.text()),
    retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
  };
}
