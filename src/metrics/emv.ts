import type { EmvRates } from "./types.ts";

export type EmvAction = keyof EmvRates;

export const EMV_ACTIONS: readonly EmvAction[] = [
  "impressions",
  "views",
  "likes",
  "comments",
  "shares",
  "saves",
  "clicks",
];

/** EUR per action. Industry-typical starting points; a workspace should override them with its own. */
export const DEFAULT_EMV_RATES: EmvRates = Object.freeze({
  impressions: 0.005, // €5 CPM
  views: 0.02,
  likes: 0.1,
  comments: 0.5,
  shares: 1.0,
  saves: 1.0,
  clicks: 0.75,
});

/**
 * The defaults with every valid override applied. A valid override is a finite number ≥ 0 under
 * a known action; anything else (unknown keys, strings, negatives, a non-object) is ignored.
 */
export function emvRates(overrides: Partial<EmvRates> | unknown): EmvRates {
  const rates: EmvRates = { ...DEFAULT_EMV_RATES };
  if (typeof overrides !== "object" || overrides === null) return rates;
  const candidate = overrides as Record<string, unknown>;
  for (const action of EMV_ACTIONS) {
    const value = candidate[action];
    if (isValidRate(value)) rates[action] = value;
  }
  return rates;
}

function isValidRate(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/** Σ rate_k · count_k over the actions that have a rate. */
export function earnedMediaValue(counters: Readonly<Record<EmvAction, number>>, rates: EmvRates): number {
  let value = 0;
  for (const action of EMV_ACTIONS) value += rates[action] * counters[action];
  return value;
}
