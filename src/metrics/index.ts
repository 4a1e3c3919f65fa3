export {
  aggregateFromSums,
  aggregatePosts,
  isEvergreen,
  median,
  sumFacts,
  zeroCounters,
} from "./aggregate.ts";
export {
  buildCurve,
  type Curve,
  type CurvePoint,
  ENGAGEMENT_PARTS,
  engagementsGiven,
  engagementsOf,
  MS_PER_DAY,
  observedAgeOf,
  type Series,
  valueAt,
} from "./curve.ts";
export { DEFAULT_EMV_RATES, EMV_ACTIONS, type EmvAction, earnedMediaValue, emvRates } from "./emv.ts";
export { combinedGiven, countersNotGiven, type GivenBasis, type NotGiven, RATE_INPUTS } from "./given.ts";
export { halfLifeDays, postFacts } from "./postFacts.ts";
export { mediansOfCreators, type TierMedianValues } from "./tierMedians.ts";
export { DEFAULT_TIER_BOUNDARIES, tierOf, toTierBoundaries, validateTierBoundaries } from "./tiers.ts";
export * from "./types.ts";
export { type WeekActivity, weekActivity } from "./weeklyActivity.ts";
