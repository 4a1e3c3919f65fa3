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

/** What one collection call brought back: the posts found, and those the platform no longer shows. */
export interface Collected {
  posts: CollectedPost[];
  /** Post id → why it is gone ("deleted or private"). */
  gone: Map<string, string>;
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
  ) {
    super(message);
    this.name = "CollectError";
  }
}

export interface Collector {
  platform: CollectedPlatform;
  /** The most post ids one call takes. */
  batchSize: number;
  collect(postIds: string[]): Promise<Collected>;
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

/** `Retry-After` in seconds or as an HTTP date, as milliseconds from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
