import type { ImportRow } from "../../src/ingest/row.ts";
import { postFacts, sumFacts, tierOf } from "../../src/metrics/index.ts";
import {
  COUNTERS,
  type FactSums,
  type PostFacts,
  type PostInput,
  type Tier,
} from "../../src/metrics/types.ts";

const DAY_MS = 86_400_000;

export interface DemoPost {
  platform: string;
  creator: string;
  campaign: string | null;
  input: PostInput;
  facts: PostFacts;
}

/** The generated rows regrouped into posts, with the reference metrics of each as of `now`. */
export function demoPosts(rows: Iterable<ImportRow>, now: Date): DemoPost[] {
  const byPost = new Map<string, { first: ImportRow; input: PostInput }>();
  for (const row of rows) {
    const key = `${row.platform}/${row.postId}`;
    let post = byPost.get(key);
    if (post === undefined) {
      post = {
        first: row,
        input: { publishedAt: row.publishedAt, fee: row.fee ?? 0, followers: row.followers, snapshots: [] },
      };
      byPost.set(key, post);
    }
    const snapshot = { capturedAt: row.capturedAt, ...Object.fromEntries(COUNTERS.map((c) => [c, row[c]])) };
    post.input.snapshots.push(snapshot as PostInput["snapshots"][number]);
  }
  return [...byPost.values()].map(({ first, input }) => ({
    platform: first.platform,
    creator: first.creator,
    campaign: first.campaign,
    input,
    facts: postFacts(input, now),
  }));
}

export function tierOfPost(post: DemoPost): Tier {
  return tierOf(post.input.followers);
}

/** Posts published in [now − fromDays, now − toDays). */
export function publishedBetween(posts: readonly DemoPost[], now: Date, fromDays: number, toDays: number) {
  const from = now.getTime() - fromDays * DAY_MS;
  const to = now.getTime() - toDays * DAY_MS;
  return posts.filter((post) => {
    const published = post.input.publishedAt.getTime();
    return published >= from && published < to;
  });
}

/** Pooled week-2 retention (ΣE(14) − ΣE(7)) / ΣE(7), and the sums behind it. */
export function week2Retention(posts: readonly DemoPost[]): { retention: number | null; sums: FactSums } {
  const sums = sumFacts(posts.map((post) => post.facts));
  const retention = sums.week2E7 > 0 ? (sums.week2E14 - sums.week2E7) / sums.week2E7 : null;
  return { retention, sums };
}

/** The alert's two cohorts: current [now − 21 d, now − 14 d), baseline [now − 77 d, now − 21 d). */
export function longevityCohorts(posts: readonly DemoPost[], now: Date) {
  return {
    current: week2Retention(publishedBetween(posts, now, 21, 14)),
    baseline: week2Retention(publishedBetween(posts, now, 77, 21)),
  };
}
