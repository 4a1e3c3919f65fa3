import { COUNTERS, type Counter, type MetricBasis } from "./types.ts";

/** The inputs of the rates (CTR, CPC, CPA, ROAS, rates by reach) a platform may leave out. */
export const RATE_INPUTS = ["impressions", "reach", "clicks", "conversions", "revenue"] as const;

/** Counters that `posts` of the `of` observed posts of an aggregate do not give. */
export interface NotGiven {
  counters: Counter[];
  posts: number;
  of: number;
}

/** On how many observed posts each counter was given. */
export type GivenBasis = Pick<MetricBasis, "observed" | "given">;

/** The given-basis of several aggregates taken together (their posts do not overlap). */
export function combinedGiven(bases: readonly GivenBasis[]): GivenBasis {
  const given = {} as MetricBasis["given"];
  for (const counter of COUNTERS)
    given[counter] = bases.reduce((sum, basis) => sum + basis.given[counter], 0);
  return { observed: bases.reduce((sum, basis) => sum + basis.observed, 0), given };
}

/**
 * Which of `counters` some observed posts do not give, grouped by how many posts leave them
 * out (most first, then in the order of `counters`): what the metrics stand on.
 */
export function countersNotGiven(basis: GivenBasis, counters: readonly Counter[]): NotGiven[] {
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
