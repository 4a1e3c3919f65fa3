import type { ChartConfiguration, Plugin } from "chart.js";
import QuickChartExport from "quickchart-js";
import { metricDefinition, perFeeLabel, perPostLabel } from "../commands/metricKeys.ts";
import { quickChartBase } from "../config.ts";
import type { CurvePointView, RetentionWeek, TierRow, ViewModel } from "../insights/viewModels.ts";
import type { Tier } from "../metrics/types.ts";
import { type Formatter, formatterFor } from "./format.ts";

/** One Chart.js v4 configuration: the same object becomes a QuickChart URL or a local PNG. */
export type ChartConfig = ChartConfiguration<"line" | "bar", (number | null)[], string | number>;

/** A chart of a view, with the words that describe it to someone who cannot see it. */
export interface ViewChart {
  config: ChartConfig;
  altText: string;
}

/** What a tier returns per unit of fee: the short-term half next to the lasting half. */
export interface TierValue {
  tier: Tier;
  clicksPerFee: number | null;
  sustainedEngagementsPerFee: number | null;
}

export const CHART_WIDTH = 600;
export const CHART_HEIGHT = 320;
/** Slack refuses an image block whose image_url is longer. */
export const MAX_CHART_URL_LENGTH = 3000;

const DIRECT_COLOR = "#8a8f98";
const LASTING_COLOR = "#1b998b";
const MAX_SUBJECT_LENGTH = 40;

// quickchart-js types its ESM build as CommonJS: at run time the default import is the class itself.
const QuickChart = QuickChartExport as unknown as typeof QuickChartExport.default;

/** Chart.js and the Skia canvas load on the first private chart, not with every import of the renderer. */
let localRenderer: Promise<{
  Chart: typeof import("chart.js").Chart;
  createCanvas: typeof import("@napi-rs/canvas").createCanvas;
}>;
function loadLocalRenderer() {
  localRenderer ??= Promise.all([import("chart.js"), import("@napi-rs/canvas")]).then(([chartJs, canvas]) => {
    const {
      Chart,
      LineController,
      LineElement,
      PointElement,
      BarController,
      BarElement,
      CategoryScale,
      LinearScale,
      Title,
      Legend,
    } = chartJs;
    Chart.register(
      LineController,
      LineElement,
      PointElement,
      BarController,
      BarElement,
      CategoryScale,
      LinearScale,
      Title,
      Legend,
    );
    return { Chart, createCanvas: canvas.createCanvas };
  });
  return localRenderer;
}

/** Average cumulative engagements (left axis) and clicks (right axis) per post, day by day. */
export function engagementCurveChart(curve: readonly CurvePointView[], subject: string): ChartConfig {
  const observed = curve.filter((point) => point.posts > 0);
  return {
    type: "line",
    data: {
      labels: observed.map((point) => point.day),
      datasets: [
        {
          label: perPostLabel("engagements"),
          data: observed.map((point) => threeDigits(point.engagements)),
          borderColor: LASTING_COLOR,
          backgroundColor: LASTING_COLOR,
          yAxisID: "y",
        },
        {
          label: perPostLabel("clicks"),
          data: observed.map((point) => threeDigits(point.clicks)),
          borderColor: DIRECT_COLOR,
          backgroundColor: DIRECT_COLOR,
          yAxisID: "y1",
        },
      ],
    },
    options: {
      plugins: { title: { display: true, text: `${shortSubject(subject)}: engagements vs clicks per post` } },
      scales: {
        x: axisTitled("days since publishing"),
        ...twoAxes("engagements", "clicks"),
      },
    },
  };
}

/** Clicks and sustained engagements bought per unit of fee, tier by tier, each on its own axis. */
export function tierValueChart(values: readonly TierValue[], currency: string): ChartConfig {
  return {
    type: "bar",
    data: {
      labels: values.map((value) => value.tier),
      datasets: [
        {
          label: perFeeLabel("clicks", currency),
          data: values.map((value) => threeDigits(value.clicksPerFee)),
          backgroundColor: DIRECT_COLOR,
          yAxisID: "y",
        },
        {
          label: perFeeLabel("sustainedEngagements", currency),
          data: values.map((value) => threeDigits(value.sustainedEngagementsPerFee)),
          backgroundColor: LASTING_COLOR,
          yAxisID: "y1",
        },
      ],
    },
    options: {
      plugins: { title: { display: true, text: `Direct vs lasting value per ${currency} of fee` } },
      scales: {
        ...twoAxes("clicks", "sustained engagements"),
      },
    },
  };
}

/** Week-2 retention, in percent, by the week the posts were published. */
export function retentionTrendChart(weeks: readonly RetentionWeek[], f: Formatter): ChartConfig {
  return {
    type: "line",
    data: {
      labels: weeks.map((week) => f.monthDay(week.week)),
      datasets: [
        {
          label: `${metricDefinition("week2Retention").label} %`,
          data: weeks.map((week) =>
            week.week2Retention === null ? null : Math.round(week.week2Retention * 1000) / 10,
          ),
          borderColor: LASTING_COLOR,
          backgroundColor: LASTING_COLOR,
        },
      ],
    },
    options: {
      plugins: { title: { display: true, text: "Week-2 retention by publishing week" } },
      scales: { y: { beginAtZero: true, ...axisTitled("%") } },
    },
  };
}

/**
 * Per unit of fee from a tier's totals. Sustained engagements are only counted on posts with 28
 * days of history, so their fee basis is that of cost per sustained engagement, not the total fee.
 */
export function tierValuesFromRows(rows: readonly TierRow[]): TierValue[] {
  return rows.map((row) => ({
    tier: row.tier,
    clicksPerFee: clicksPerFee(row),
    sustainedEngagementsPerFee: row.costPerSustainedEngagement ? 1 / row.costPerSustainedEngagement : null,
  }));
}

export function clicksPerFee(row: Pick<TierRow, "clicks" | "fee">): number | null {
  return row.fee > 0 && row.clicks !== null ? row.clicks / row.fee : null;
}

/** The charts that illustrate a view, most telling first; none for views without a series. */
export function viewCharts(view: ViewModel): ViewChart[] {
  switch (view.kind) {
    case "creatorProfile":
      return curveCharts(view.curve, `@${view.creator.handle}`, formatterFor(view.workspace));
    case "campaignReport": {
      const f = formatterFor(view.workspace);
      return [...curveCharts(view.curve, view.campaign.name, f), ...retentionCharts(view.retentionTrend, f)];
    }
    case "compareTiers":
      return tierValueCharts(tierValuesFromRows(view.tiers), view.workspace.currency);
    case "weeklyDigest": {
      const { micro, macro } = view.microVsMacro;
      return [
        ...tierValueCharts([micro, macro], view.workspace.currency),
        ...retentionCharts(view.retentionTrend, formatterFor(view.workspace)),
      ];
    }
    default:
      return [];
  }
}

function curveCharts(curve: readonly CurvePointView[], subject: string, f: Formatter): ViewChart[] {
  const last = curve.filter((point) => point.posts > 0).at(-1);
  if (!last) return [];
  return [
    {
      config: engagementCurveChart(curve, subject),
      altText:
        `Line chart for ${subject}: average cumulative engagements and clicks per post by days since ` +
        `publishing, up to day ${last.day} (${f.count(last.engagements)} engagements, ${f.count(last.clicks)} clicks).`,
    },
  ];
}

function tierValueCharts(values: readonly TierValue[], currency: string): ViewChart[] {
  if (values.length === 0) return [];
  return [
    {
      config: tierValueChart(values, currency),
      altText: `Bar chart: clicks and sustained engagements per ${currency} of fee for ${values.map((value) => value.tier).join(", ")} creators.`,
    },
  ];
}

function retentionCharts(weeks: readonly RetentionWeek[], f: Formatter): ViewChart[] {
  const known = weeks.filter((week) => week.week2Retention !== null);
  const first = known[0];
  const last = known.at(-1);
  if (!first || !last) return [];
  return [
    {
      config: retentionTrendChart(weeks, f),
      altText:
        `Line chart: week-2 retention by publishing week, from ${f.percent(first.week2Retention)} ` +
        `(week of ${f.monthDay(first.week)}) to ${f.percent(last.week2Retention)} (week of ${f.monthDay(last.week)}).`,
    },
  ];
}

/**
 * A QuickChart URL (Chart.js 4) for a self-hosted `host` (a host or an http(s) URL) or quickchart.io, at most
 * MAX_CHART_URL_LENGTH long where thinning the points can make it so. Pure: no network.
 */
export function chartUrl(config: ChartConfig, options: { host?: string } = {}): string {
  const points = config.data.labels?.length ?? 0;
  for (let step = 1; ; step++) {
    const url = quickChartUrl(thinned(config, step), options.host);
    if (url.length <= MAX_CHART_URL_LENGTH || Math.ceil(points / step) <= 2) return url;
  }
}

function quickChartUrl(config: ChartConfig, host: string | undefined): string {
  const chart = new QuickChart()
    .setConfig(config)
    .setVersion("4")
    .setWidth(CHART_WIDTH)
    .setHeight(CHART_HEIGHT);
  const server = host === undefined ? undefined : quickChartBase(host);
  if (server !== undefined) {
    const url = new URL(server);
    chart.setScheme(url.protocol.slice(0, -1)).setHost(`${url.host}${url.pathname.replace(/\/$/, "")}`);
  }
  return chart.getUrl();
}

/** Every `step`-th point and always the last one, labels and datasets alike. */
function thinned(config: ChartConfig, step: number): ChartConfig {
  if (step === 1) return config;
  const keep = <T>(values: readonly T[]) =>
    values.filter((_, i) => i % step === 0 || i === values.length - 1);
  return {
    ...config,
    data: {
      ...config.data,
      labels: keep(config.data.labels ?? []),
      datasets: config.data.datasets.map((dataset) => ({ ...dataset, data: keep(dataset.data) })),
    },
  } as ChartConfig;
}

/** Chart.js draws on a transparent canvas; a chat client's dark theme would swallow the text. */
const whiteBackground: Plugin = {
  id: "whiteBackground",
  beforeDraw: (chart) => {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** The chart as a PNG, drawn here with Chart.js on a Skia canvas: no network, for private charts. */
export async function chartPng(config: ChartConfig): Promise<Buffer> {
  const { Chart, createCanvas } = await loadLocalRenderer();
  const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT);
  const chart = new Chart(canvas.getContext("2d"), {
    ...config,
    options: { ...config.options, animation: false, responsive: false, devicePixelRatio: 1 },
    plugins: [whiteBackground],
  } as ChartConfig);
  try {
    return await canvas.encode("png");
  } finally {
    chart.destroy();
  }
}

/** A left axis `y` and a right axis `y1` (without its own grid lines), for two series of different sizes. */
function twoAxes(left: string, right: string) {
  return {
    y: { position: "left" as const, ...axisTitled(left) },
    y1: { position: "right" as const, grid: { drawOnChartArea: false }, ...axisTitled(right) },
  };
}

function axisTitled(text: string) {
  return { title: { display: true, text } };
}

/** Three significant digits: plenty for a chart, and short in a URL. */
function threeDigits(value: number | null): number | null {
  return value === null ? null : Number(value.toPrecision(3));
}

function shortSubject(subject: string): string {
  return subject.length <= MAX_SUBJECT_LENGTH ? subject : `${subject.slice(0, MAX_SUBJECT_LENGTH - 1)}…`;
}
