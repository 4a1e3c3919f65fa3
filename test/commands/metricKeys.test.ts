import { describe, expect, it } from "vitest";
import { METRIC_KEYS, METRICS, metricDefinition, metricFromText } from "../../src/commands/metricKeys.ts";

describe("metric names people type", () => {
  it.each([
    ["clicks", "clicks"],
    ["click", "clicks"],
    ["CTR", "ctr"],
    ["cpc", "cpc"],
    ["cost per click", "cpc"],
    ["cpa", "cpa"],
    ["roas", "roas"],
    ["conversions", "conversions"],
    ["revenue", "revenue"],
    ["redemptions", "redemptions"],
    ["engagements", "engagements"],
    ["engagement", "engagements"],
    ["sustained", "sustainedEngagements"],
    ["sustained engagement", "sustainedEngagements"],
    ["Sustained Engagements", "sustainedEngagements"],
    ["retention", "week2Retention"],
    ["week-2 retention", "week2Retention"],
    ["week 2 retention", "week2Retention"],
    ["longevity", "longevity"],
    ["half-life", "halfLifeDays"],
    ["half life", "halfLifeDays"],
    ["halflife", "halfLifeDays"],
    ["Half-Life (days)", "halfLifeDays"],
    ["engagement rate", "engagementRateByFollowers"],
    ["er", "engagementRateByFollowers"],
    ["save-share rate", "saveShareRate"],
    ["saves and shares", "saveShareRate"],
    ["cpe", "cpe"],
    ["cost per sustained engagement", "costPerSustainedEngagement"],
    ["cpse", "costPerSustainedEngagement"],
    ["emv", "emv"],
    ["earned media value", "emv"],
    ["front-loading", "clickFrontLoading"],
    ["the longevity", "longevity"],
    ["halfLifeDays", "halfLifeDays"],
  ])("%j → %s", (text, key) => {
    expect(metricFromText(text)).toBe(key);
  });

  it.each(["awesomeness", "", "s", "click rate"])("%j names no metric", (text) => {
    expect(metricFromText(text)).toBeUndefined();
  });

  it("describes every rankable metric once, with a label and a direction", () => {
    expect(METRICS.map((metric) => metric.key)).toEqual([...METRIC_KEYS]);
    for (const metric of METRICS) {
      expect(metric.label).not.toBe("");
      expect(metricFromText(metric.term)).toBe(metric.key);
    }
  });

  it.each([
    ["longevity", "higherIsBetter"],
    ["halfLifeDays", "higherIsBetter"],
    ["roas", "higherIsBetter"],
    ["cpc", "lowerIsBetter"],
    ["cpa", "lowerIsBetter"],
    ["cpe", "lowerIsBetter"],
    ["costPerSustainedEngagement", "lowerIsBetter"],
    ["clickFrontLoading", "lowerIsBetter"],
  ] as const)("%s: %s", (key, direction) => {
    expect(metricDefinition(key).direction).toBe(direction);
  });
});
