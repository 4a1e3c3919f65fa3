import { describe, expect, it } from "vitest";
import { DEFAULT_EMV_RATES, earnedMediaValue, emvRates } from "../../src/metrics/index.ts";
import { counters } from "./fixtures.ts";

describe("earned media value", () => {
  it("has documented defaults in EUR", () => {
    expect(DEFAULT_EMV_RATES).toEqual({
      impressions: 0.005,
      views: 0.02,
      likes: 0.1,
      comments: 0.5,
      shares: 1,
      saves: 1,
      clicks: 0.75,
    });
  });

  it("is Σ rate · count over the rated actions, ignoring reach, conversions and revenue", () => {
    const value = earnedMediaValue(
      counters({
        impressions: 10_000,
        views: 1_000,
        likes: 100,
        comments: 10,
        shares: 5,
        saves: 5,
        clicks: 20,
        reach: 9_000,
        revenue: 1_000,
      }),
      DEFAULT_EMV_RATES,
    );
    expect(value).toBeCloseTo(50 + 20 + 10 + 5 + 5 + 5 + 15, 10);
  });

  it("takes a workspace's valid overrides on top of the defaults", () => {
    expect(emvRates({ likes: 0.2, clicks: 0 })).toEqual({ ...DEFAULT_EMV_RATES, likes: 0.2, clicks: 0 });
  });

  it("ignores overrides that are not usable rates", () => {
    const rates = emvRates({ likes: "0.2", comments: -1, shares: Number.NaN, saves: Infinity, bogus: 3 });
    expect(rates).toEqual(DEFAULT_EMV_RATES);
    expect(emvRates(null)).toEqual(DEFAULT_EMV_RATES);
    expect(emvRates("likes=2")).toEqual(DEFAULT_EMV_RATES);
  });

  it("never hands out the shared defaults for mutation", () => {
    const rates = emvRates(undefined);
    rates.likes = 9;
    expect(DEFAULT_EMV_RATES.likes).toBe(0.1);
  });
});
