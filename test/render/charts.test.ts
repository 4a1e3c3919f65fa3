import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CurvePointView } from "../../src/insights/viewModels.ts";
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  type ChartConfig,
  chartPng,
  chartUrl,
  engagementCurveChart,
  MAX_CHART_URL_LENGTH,
  retentionTrendChart,
  tierValueChart,
  tierValuesFromRows,
  viewCharts,
} from "../../src/render/charts.ts";
import { formatterFor } from "../../src/render/format.ts";
import {
  bigCampaignReport,
  compareTiers,
  creatorProfile,
  curve,
  LONG_HANDLE,
  retentionWeeks,
  weeklyDigest,
  workspace,
} from "./fixtures.ts";

const HOST = "quickchart.example.internal";
const f = formatterFor(workspace);

/** The chart a QuickChart URL carries, read back the way QuickChart reads it (a JS object literal). */
function decodeChart(url: string): { config: ChartConfig; params: URLSearchParams } {
  const params = new URL(url).searchParams;
  const source = params.get("c") ?? "";
  return { config: new Function(`return (${source});`)() as ChartConfig, params };
}

function datasetLabels(config: ChartConfig): (string | undefined)[] {
  return config.data.datasets.map((dataset) => dataset.label);
}

/** Ugly numbers at every point: the longest a 28-day curve gets in a URL. */
function worstCaseCurve(): CurvePointView[] {
  return Array.from({ length: 29 }, (_, day) => ({
    day,
    posts: 40,
    engagements: 1_234_567.891 + day * 98_765.4321,
    clicks: 0.000_123_456 * (day + 1),
  }));
}

function worstCaseUrls(): string[] {
  const weeks = retentionWeeks(12).map((week, i) => ({ ...week, week2Retention: 0.123456 + i / 1000 }));
  const tiers = compareTiers.tiers.map((row) => ({
    ...row,
    clicks: 123_456.789,
    costPerSustainedEngagement: 0.000_123,
  }));
  return [
    chartUrl(engagementCurveChart(worstCaseCurve(), `@${LONG_HANDLE}`), { host: HOST }),
    chartUrl(retentionTrendChart(weeks, f), { host: HOST }),
    chartUrl(tierValueChart(tierValuesFromRows(tiers), "EUR"), { host: HOST }),
  ];
}

describe("chart configurations", () => {
  it("draws engagements and clicks per post on two axes, one point per observed day", () => {
    const config = engagementCurveChart(curve(10), "@anna.bakes");
    expect(config.type).toBe("line");
    expect(config.data.labels).toEqual(Array.from({ length: 11 }, (_, day) => day));
    expect(datasetLabels(config)).toEqual(["Engagements per post", "Clicks per post"]);
    expect(config.data.datasets.map((dataset) => dataset.yAxisID)).toEqual(["y", "y1"]);
    expect(config.options?.scales?.y1?.position).toBe("right");
    expect(config.options?.plugins?.title?.text).toContain("per post");
  });

  it("rounds to three significant digits", () => {
    const config = engagementCurveChart(curve(), "@anna.bakes");
    expect(config.data.datasets[0]?.data[28]).toBe(4160);
    expect(config.data.datasets[1]?.data[1]).toBe(127);
  });

  it("puts clicks and sustained engagements per unit of fee next to each other, tier by tier", () => {
    const config = tierValueChart(tierValuesFromRows(compareTiers.tiers), "EUR");
    expect(config.type).toBe("bar");
    expect(config.data.labels).toEqual(["nano", "micro", "mid", "macro", "mega"]);
    expect(datasetLabels(config)).toEqual(["Clicks per EUR", "Sustained engagements per EUR"]);
    // nano: 800 clicks for €1,000; €0.25 per sustained engagement is 4 per euro.
    expect(config.data.datasets.map((dataset) => dataset.data[0])).toEqual([0.8, 4]);
  });

  it("shows week-2 retention in percent by publishing week, with gaps where it is unknown", () => {
    const config = retentionTrendChart(retentionWeeks(3), f);
    expect(config.data.labels).toEqual(["Jan 5", "Jan 12", "Jan 19"]);
    expect(config.data.datasets[0]?.data).toEqual([null, 29.8, 28.5]);
  });

  it("chooses the charts each view illustrates, with alt text", () => {
    expect(viewCharts(creatorProfile).map((chart) => datasetLabels(chart.config))).toEqual([
      ["Engagements per post", "Clicks per post"],
    ]);
    expect(viewCharts(bigCampaignReport)).toHaveLength(2);
    expect(viewCharts(weeklyDigest).map((chart) => chart.config.type)).toEqual(["bar", "line"]);
    expect(viewCharts(compareTiers)[0]?.altText).toContain("clicks and sustained engagements per EUR");
    expect(viewCharts({ ...creatorProfile, curve: curve(-1) })).toEqual([]);
  });
});

describe("chartUrl", () => {
  it("links a Chart.js 4 chart on the configured host", () => {
    const url = chartUrl(engagementCurveChart(curve(), "@anna.bakes"), { host: HOST });
    const parsed = new URL(url);
    expect(parsed.protocol).toBe("https:");
    expect(parsed.host).toBe(HOST);
    expect(parsed.pathname).toBe("/chart");
    const { config, params } = decodeChart(url);
    expect(params.get("v")).toBe("4");
    expect(params.get("w")).toBe(String(CHART_WIDTH));
    expect(params.get("h")).toBe(String(CHART_HEIGHT));
    expect(config.type).toBe("line");
    expect(datasetLabels(config)).toEqual(["Engagements per post", "Clicks per post"]);
    expect(config.data.labels).toHaveLength(29);
  });

  it("uses quickchart.io without a host", () => {
    expect(new URL(chartUrl(tierValueChart(tierValuesFromRows(compareTiers.tiers), "EUR"))).host).toBe(
      "quickchart.io",
    );
  });

  it("stays under Slack's limit in the worst case: 28-day curves, 12 weeks, 5 tiers, long handles", () => {
    for (const url of worstCaseUrls()) {
      expect(url.length).toBeLessThan(MAX_CHART_URL_LENGTH);
      expect(new URL(url).host).toBe(HOST);
    }
  });

  it("thins the points of a chart too long for a URL, keeping the last one", () => {
    const long = Array.from({ length: 400 }, (_, day) => ({
      day,
      posts: 1,
      engagements: day * 1111.1,
      clicks: day,
    }));
    const url = chartUrl(engagementCurveChart(long, "@anna.bakes"), { host: HOST });
    expect(url.length).toBeLessThanOrEqual(MAX_CHART_URL_LENGTH);
    const { config } = decodeChart(url);
    const labels = config.data.labels ?? [];
    expect(labels.length).toBeLessThan(400);
    expect(labels.at(-1)).toBe(399);
    expect(config.data.datasets[0]?.data).toHaveLength(labels.length);
  });
});

describe("chartPng", () => {
  it("renders a real PNG locally", async () => {
    const started = performance.now();
    const png = await chartPng(engagementCurveChart(curve(), "@anna.bakes"));
    const elapsed = performance.now() - started;
    writeFileSync("/tmp/longtail-chart.png", png);

    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
    expect(png.readUInt32BE(16)).toBe(CHART_WIDTH);
    expect(png.readUInt32BE(20)).toBe(CHART_HEIGHT);
    expect(png.length).toBeGreaterThan(10_000);
    expect(elapsed).toBeLessThan(5_000);
  });

  it("renders every chart of every view", async () => {
    const charts = [
      ...viewCharts(bigCampaignReport),
      ...viewCharts(weeklyDigest),
      ...viewCharts(compareTiers),
    ];
    const pngs = await Promise.all(charts.map((chart) => chartPng(chart.config)));
    for (const png of pngs) expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
  });
});
