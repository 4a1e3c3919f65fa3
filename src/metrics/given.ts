import type { Counter, MetricBasis } from "./types.ts";

/** The inputs of the rates (CTR, CPC, CPA, ROAS, rates by reach) a platform may leave out. */
export const RATE_INPUTS = ["impressions", "reach", "clicks", "conversions", "revenue"] as const;

/** Counters that `posts` of the `of` observed posts of an aggregate do not give. */
export interface NotGiven {
  counters: Counter[];
  posts: number;
  of: number;
}

/**
 * Which of `counters` some observed posts do not give, grouped by how many posts leave them
 * out (most first, then in the order of `counters`): what the metrics stand on.
 */
export function countersNotGiven(basis: MetricBasis, counters: readonly Counter[]): NotGiven[] {
  const groups: NotGiven[] = [];
  for (const counter of counters) {
    const posts = basis.observed - basis.given[counter];
    if (posts === 0) continue;
    const group = groups.find((candidate) => candidate.posts === posts);
    if (group) group.counters.push(counter);
    else groups.push({ counters: [counter], posts, of: basis.observed });
  }
  return groups.sort((a, b) => b.posts - a.posts);
}
