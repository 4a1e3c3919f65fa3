/**
 * The metric contract (src/metrics) over the store, one job per file under ./facts/: the posts
 * in scope, the per-post facts (stored by the import, computed from snapshots where they are not
 * current), pooled sums, the engagement curve and the weekly activity. Tests hold each against
 * the pure functions.
 */

export { type CreatorCardFacts, queryCreatorCard } from "./facts/creatorCard.ts";
export {
  queryCreatorSumsOfTier,
  refreshMissingCreatorSums,
  refreshMissingPostFacts,
  workspaceFactsStoredAt,
} from "./facts/creatorSums.ts";
export { type CurvePoint, queryEngagementCurve } from "./facts/curve.ts";
export { type DigestFacts, type EvergreenFacts, queryDigestFacts } from "./facts/digestFacts.ts";
export { type CounterFall, type CounterFalls, queryCounterFalls, REPORTED_FALL } from "./facts/falls.ts";
export { type PostFactsRow, queryPostFacts } from "./facts/postFactsQuery.ts";
export type { PostScope } from "./facts/scope.ts";
export { refreshPostFacts } from "./facts/stored.ts";
export { type GroupedFactSums, type GroupedPooledSums, type Grouping, queryFactSums } from "./facts/sums.ts";
export { queryStoredTierMedians, storeMissingTierMedians } from "./facts/tierMedians.ts";
export { type CreatorWeekActivity, queryWeeklyActivity } from "./facts/weeklyActivity.ts";
