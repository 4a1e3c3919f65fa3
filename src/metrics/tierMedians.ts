import { aggregateFromSums, median } from "./aggregate.ts";
import type { Aggregate, EmvRates, FactSums } from "./types.ts";

/** The median creator of a group, metric by metric, each over the creators where it is defined. */
export interface TierMedianValues {
  creators: number;
  week2Retention: number | null;
  longevity: number | null;
  halfLifeDays: number | null;
  ctr: number | null;
  cpe: number | null;
  costPerSustainedEngagement: number | null;
  engagementRateByFollowers: number | null;
}

/** The medians of the creators whose pooled sums these are (one FactSums per creator). */
export function mediansOfCreators(perCreator: readonly FactSums[], rates: EmvRates): TierMedianValues {
  const aggregates = perCreator.map((sums) => aggregateFromSums(sums, rates));
  const medianOf = (pick: (a: Aggregate) => number | null) =>
    median(aggregates.map(pick).filter((value): value is number => value !== null));
  return {
    creators: aggregates.length,
    week2Retention: medianOf((a) => a.sustained.week2Retention),
    longevity: medianOf((a) => a.sustained.longevity),
    halfLifeDays: medianOf((a) => a.sustained.halfLifeDays),
    ctr: medianOf((a) => a.direct.ctr),
    cpe: medianOf((a) => a.sustained.cpe),
    costPerSustainedEngagement: medianOf((a) => a.sustained.costPerSustainedEngagement),
    engagementRateByFollowers: medianOf((a) => a.sustained.engagementRateByFollowers),
  };
}
