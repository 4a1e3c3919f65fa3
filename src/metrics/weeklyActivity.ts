import { buildCurve, engagementsOf, MS_PER_DAY } from "./curve.ts";
import type { PostInput } from "./types.ts";

/** A week as the weekly activity counts it: 7 × 24 hours. */
export const WEEK_MS = 7 * MS_PER_DAY;

/** What a group of posts gained in the 7 days before `now` and in the 7 days before that. */
export interface WeekActivity {
  publishedThisWeek: number;
  publishedLastWeek: number;
  clicksThisWeek: number;
  clicksLastWeek: number;
  engagementsThisWeek: number;
  engagementsLastWeek: number;
  /** Engagements earned by posts past their first week, this week and the week before. */
  sustainedThisWeek: number;
  sustainedLastWeek: number;
}

/** E and clicks as of a moment: the running maxima at the last snapshot up to it (0 before any, or not given). */
function asOf(post: PostInput, at: Date): { engagements: number; clicks: number } {
  const latest = buildCurve(post, at).at(-1)?.counters;
  return latest
    ? { engagements: engagementsOf(latest), clicks: latest.clicks ?? 0 }
    : { engagements: 0, clicks: 0 };
}

/**
 * The reference of the digest's headline numbers: each post published by `now` adds what its
 * cumulative counters gained over each week; sustained engagements count only what a post
 * earned after its own first week.
 */
export function weekActivity(posts: readonly PostInput[], now: Date): WeekActivity {
  const activity: WeekActivity = {
    publishedThisWeek: 0,
    publishedLastWeek: 0,
    clicksThisWeek: 0,
    clicksLastWeek: 0,
    engagementsThisWeek: 0,
    engagementsLastWeek: 0,
    sustainedThisWeek: 0,
    sustainedLastWeek: 0,
  };
  const nowMs = now.getTime();
  for (const post of posts.filter((p) => p.publishedAt.getTime() <= nowMs)) {
    addPost(activity, post, nowMs);
  }
  return activity;
}

function addPost(activity: WeekActivity, post: PostInput, nowMs: number): void {
  const publishedMs = post.publishedAt.getTime();
  const firstWeekEnd = publishedMs + WEEK_MS;
  const current = asOf(post, new Date(nowMs));
  const weekAgo = asOf(post, new Date(nowMs - WEEK_MS));
  const twoWeeksAgo = asOf(post, new Date(nowMs - 2 * WEEK_MS));
  if (publishedMs > nowMs - WEEK_MS) activity.publishedThisWeek += 1;
  else if (publishedMs > nowMs - 2 * WEEK_MS) activity.publishedLastWeek += 1;
  activity.clicksThisWeek += current.clicks - weekAgo.clicks;
  activity.clicksLastWeek += weekAgo.clicks - twoWeeksAgo.clicks;
  activity.engagementsThisWeek += current.engagements - weekAgo.engagements;
  activity.engagementsLastWeek += weekAgo.engagements - twoWeeksAgo.engagements;
  if (firstWeekEnd < nowMs) {
    const from = asOf(post, new Date(Math.max(nowMs - WEEK_MS, firstWeekEnd)));
    activity.sustainedThisWeek += current.engagements - from.engagements;
  }
  if (firstWeekEnd + WEEK_MS < nowMs) {
    const from = asOf(post, new Date(Math.max(nowMs - 2 * WEEK_MS, firstWeekEnd)));
    activity.sustainedLastWeek += weekAgo.engagements - from.engagements;
  }
}
