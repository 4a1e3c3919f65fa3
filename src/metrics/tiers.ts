import type { Tier, TierBoundaries } from "./types.ts";

/** From the article: nano < 1,000 ≤ micro ≤ 50,000 < mid < 500,000 ≤ macro < 1,000,000 ≤ mega. */
export const DEFAULT_TIER_BOUNDARIES: TierBoundaries = Object.freeze([
  1_000, 50_000, 500_000, 1_000_000,
] as const);

/** Note the asymmetry from the article: micro includes its upper boundary, mid does not. */
export function tierOf(followers: number, boundaries: TierBoundaries = DEFAULT_TIER_BOUNDARIES): Tier {
  const [microFrom, midAbove, macroFrom, megaFrom] = boundaries;
  if (followers < microFrom) return "nano";
  if (followers <= midAbove) return "micro";
  if (followers < macroFrom) return "mid";
  if (followers < megaFrom) return "macro";
  return "mega";
}

/** A message saying what is wrong, or null when `values` are usable tier boundaries. */
export function validateTierBoundaries(values: readonly number[]): string | null {
  if (values.length !== 4) {
    return `Tier boundaries need exactly 4 numbers (micro from, mid above, macro from, mega from); got ${values.length}.`;
  }
  const invalid = values.find((value) => !Number.isInteger(value) || value <= 0);
  if (invalid !== undefined) {
    return `Tier boundaries must be positive whole numbers of followers; ${invalid} is not.`;
  }
  for (let i = 1; i < values.length; i++) {
    const previous = values[i - 1] as number;
    const current = values[i] as number;
    if (current <= previous) {
      return `Tier boundaries must be strictly increasing; ${current} does not come after ${previous}.`;
    }
  }
  return null;
}

/** Narrows validated boundaries to the tuple type; throws with the validation message otherwise. */
export function toTierBoundaries(values: readonly number[]): TierBoundaries {
  const problem = validateTierBoundaries(values);
  if (problem !== null) throw new Error(problem);
  const [microFrom, midAbove, macroFrom, megaFrom] = values as [number, number, number, number];
  return [microFrom, midAbove, macroFrom, megaFrom];
}
