import type {
  CampaignReportView,
  CompareTiersView,
  CreatorProfileView,
  HelpView,
  LongevityAlertsView,
  NotFoundView,
  TopView,
  ViewModel,
  WeeklyDigestView,
} from "../insights/viewModels.ts";
import type { Aggregate } from "../metrics/types.ts";
import { type Formatter, formatMetric, formatterFor, versus } from "./format.ts";

/** Plain-text rendering of every view model: the CLI's output and the fallback for chat. */
export function renderText(view: ViewModel): string {
  switch (view.kind) {
    case "creatorProfile":
      return creatorProfileText(view);
    case "campaignReport":
      return campaignReportText(view);
    case "compareTiers":
      return compareTiersText(view);
    case "top":
      return topText(view);
    case "weeklyDigest":
      return weeklyDigestText(view);
    case "longevityAlerts":
      return longevityAlertsText(view);
    case "notFound":
      return notFoundText(view);
    case "help":
      return helpText(view);
    case "message":
      return [view.title, ...view.lines].join("\n");
  }
}

/** Left-aligned columns, two spaces apart. */
function columns(rows: string[][]): string {
  const columnCount = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columnCount }, (_, i) =>
    Math.max(...rows.map((row) => row[i]?.length ?? 0)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function basisNote(posts: number, of: number): string {
  return posts < of ? ` (${posts} of ${of} posts)` : "";
}

/** The direct and the sustained numbers side by side, with where they stand against a reference. */
function sideBySide(a: Aggregate, f: Formatter, medians?: CreatorProfileView["tierMedians"]): string {
  const vsMedian = (median: number | null | undefined, format: (value: number | null) => string) =>
    median === undefined || median === null ? "" : `  (tier median ${format(median)})`;
  const direct: [string, string][] = [
    ["Clicks", f.count(a.direct.clicks)],
    ["CTR", f.percent(a.direct.ctr) + vsMedian(medians?.ctr, f.percent)],
    ["CPC", f.money(a.direct.cpc)],
    ["Redemptions", f.count(a.direct.redemptions)],
    ["Conversions", f.count(a.direct.conversions)],
    ["Revenue", f.money(a.direct.revenue)],
    ["ROAS", f.ratio(a.direct.roas)],
    ["Click front-loading", f.percent(a.direct.clickFrontLoading)],
    ["Fee", f.money(a.direct.fee)],
  ];
  const s = a.sustained;
  const sustained: [string, string][] = [
    ["Engagements", f.count(s.engagements)],
    ["Sustained engagements", f.count(s.sustainedEngagements) + basisNote(a.basis.sustained, a.posts)],
    [
      "Week-2 retention",
      f.percent(s.week2Retention) +
        basisNote(a.basis.week2Retention, a.posts) +
        vsMedian(medians?.week2Retention, f.percent),
    ],
    ["Longevity", f.percent(s.longevity) + vsMedian(medians?.longevity, f.percent)],
    ["Half-life (median)", f.days(s.halfLifeDays) + vsMedian(medians?.halfLifeDays, f.days)],
    ["Evergreen posts", f.count(s.evergreenPosts)],
    [
      "Engagement rate",
      f.percent(s.engagementRateByFollowers) + vsMedian(medians?.engagementRateByFollowers, f.percent),
    ],
    ["Save-and-share rate", f.percent(s.saveShareRate)],
    ["CPE", f.money(s.cpe) + vsMedian(medians?.cpe, f.money)],
    [
      "Cost per sustained eng.",
      f.money(s.costPerSustainedEngagement) + vsMedian(medians?.costPerSustainedEngagement, f.money),
    ],
    ["Earned media value", f.money(s.emv)],
  ];
  const rows = [["DIRECT", "", "LASTING", ""]];
  for (let i = 0; i < Math.max(direct.length, sustained.length); i++) {
    rows.push([...(direct[i] ?? ["", ""]), ...(sustained[i] ?? ["", ""])]);
  }
  return columns(rows);
}

function asOfLine(view: { asOf: string; workspace: CreatorProfileView["workspace"] }, f: Formatter): string {
  return `as of ${f.date(view.asOf)} · workspace ${view.workspace.slug}`;
}

function curveText(curve: CreatorProfileView["curve"], f: Formatter): string {
  const at = (day: number) => curve.find((point) => point.day === day);
  const points = [1, 3, 7, 14, 21, 28].map((day) => at(day)).filter((point) => point && point.posts > 0);
  if (points.length === 0) return "";
  const cells = points.map(
    (point) =>
      `day ${point?.day}: ${f.count(point?.engagements ?? 0)} eng / ${f.count(point?.clicks ?? 0)} clicks`,
  );
  return `Per post over time: ${cells.join(" · ")}`;
}

function creatorProfileText(view: CreatorProfileView): string {
  const f = formatterFor(view.workspace);
  const { creator } = view;
  return [
    `@${creator.handle} · ${creator.platform} · ${creator.tier} (${f.count(creator.followers)} followers) · ${view.posts} posts`,
    asOfLine(view, f),
    view.campaigns.length ? `Campaigns: ${view.campaigns.join(", ")}` : "",
    "",
    sideBySide(view, f, view.tierMedians),
    "",
    `Compared with the median of ${view.tierMedians.creators} ${creator.tier} creators.`,
    curveText(view.curve, f),
  ]
    .filter((line, i, lines) => line !== "" || lines[i - 1] !== "")
    .join("\n");
}

function campaignReportText(view: CampaignReportView): string {
  const f = formatterFor(view.workspace);
  const tiers = columns([
    ["Tier", "Creators", "Posts", "Clicks", "Sustained", "Week-2 ret.", "Cost/sustained"],
    ...view.byTier.map((row) => [
      row.tier,
      f.count(row.creators),
      f.count(row.posts),
      f.count(row.clicks),
      f.count(row.sustainedEngagements),
      f.percent(row.week2Retention),
      f.money(row.costPerSustainedEngagement),
    ]),
  ]);
  const top = view.topCreators.map(
    (row, i) =>
      `${i + 1}. @${row.handle} (${row.tier}): sustained ${f.count(row.sustainedEngagements)}, clicks ${f.count(row.clicks)}`,
  );
  const trend = view.retentionTrend
    .map((week) => `${week.week}: ${f.percent(week.week2Retention)}`)
    .join(" · ");
  return [
    `Campaign ${view.campaign.name} · ${view.creators} creators · ${view.posts} posts`,
    asOfLine(view, f),
    "",
    sideBySide(view, f),
    "",
    "By tier",
    tiers,
    "",
    "Creators who kept earning (sustained engagements)",
    ...top,
    "",
    `Week-2 retention by publishing week: ${trend || "no posts with two weeks of history yet"}`,
    curveText(view.curve, f),
  ].join("\n");
}

function compareTiersText(view: CompareTiersView): string {
  const f = formatterFor(view.workspace);
  if (view.tiers.length === 0) return `No posts to compare yet. ${asOfLine(view, f)}`;
  return [
    `Tiers compared · ${asOfLine(view, f)}`,
    "",
    columns([
      [
        "Tier",
        "Creators",
        "Posts",
        "Fee",
        "Clicks",
        "Engagements",
        "Sustained",
        "CPE",
        "Cost/sustained",
        "Week-2 ret.",
        "Longevity",
        "Half-life",
        "EMV per fee",
      ],
      ...view.tiers.map((row) => [
        row.tier,
        f.count(row.creators),
        f.count(row.posts),
        f.money(row.fee),
        f.count(row.clicks),
        f.count(row.engagements),
        f.count(row.sustainedEngagements),
        f.money(row.cpe),
        f.money(row.costPerSustainedEngagement),
        f.percent(row.week2Retention),
        f.percent(row.longevity),
        f.days(row.medianHalfLifeDays),
        f.ratio(row.emvPerFee),
      ]),
    ]),
  ].join("\n");
}

function topText(view: TopView): string {
  const f = formatterFor(view.workspace);
  const scope = [
    view.campaign ? `in ${view.campaign}` : "",
    view.period ? `published ${f.date(view.period.from)} – ${f.date(view.period.to)}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const title = `Top ${view.rows.length} ${view.entity} by ${view.metric.label}${scope ? ` ${scope}` : ""}`;
  if (view.rows.length === 0) {
    return `${title}: none yet — ${view.withoutValue} ${view.entity} have ${view.metric.label} ${"not known yet (not enough history)"}.`;
  }
  const rows = view.rows.map((row) => [
    `${row.rank}.`,
    row.label,
    formatMetric(f, view.metric.key, row.value),
    `${row.posts} posts`,
    `${f.count(row.clicks)} clicks`,
    `sustained ${f.count(row.sustainedEngagements)}`,
  ]);
  const footer = view.withoutValue
    ? `\n${view.withoutValue} more without enough history for ${view.metric.label}.`
    : "";
  return `${title} · ${asOfLine(view, f)}\n\n${columns(rows)}${footer}`;
}

function weeklyDigestText(view: WeeklyDigestView): string {
  const f = formatterFor(view.workspace);
  const week = (label: string, pick: (w: WeeklyDigestView["thisWeek"]) => number) => [
    label,
    f.count(pick(view.thisWeek)),
    f.count(pick(view.previousWeek)),
    versus(pick(view.thisWeek), pick(view.previousWeek)),
  ];
  const creatorLines = (
    rows: WeeklyDigestView["topByClicks"],
    value: (row: WeeklyDigestView["topByClicks"][number]) => number,
  ) =>
    rows.length
      ? rows.map((row, i) => `  ${i + 1}. @${row.handle} (${row.tier}) ${f.count(value(row))}`)
      : ["  nobody yet"];
  const value = (v: WeeklyDigestView["microVsMacro"]["micro"]) =>
    `${v.tier}: ${f.ratio(v.clicksPerFee)} clicks, ${f.ratio(v.sustainedEngagementsPerFee)} sustained engagements, ${f.ratio(v.emvPerFee)} EMV per ${view.workspace.currency} (${v.posts} posts)`;
  return [
    `Weekly digest${view.campaign ? ` · ${view.campaign}` : ""} · ${f.date(view.week.from)} – ${f.date(view.week.to)} · workspace ${view.workspace.slug}`,
    "",
    columns([
      ["", "This week", "Week before", ""],
      week("Posts published", (w) => w.postsPublished),
      week("Clicks", (w) => w.clicks),
      week("Engagements", (w) => w.engagements),
      week("Sustained engagements", (w) => w.sustainedEngagements),
    ]),
    "Sustained engagements: earned by posts past their first week.",
    "",
    "Top by clicks",
    ...creatorLines(view.topByClicks, (row) => row.clicks),
    "Top by sustained engagement",
    ...creatorLines(view.topBySustained, (row) => row.sustainedEngagements),
    "",
    "Evergreen posts worth reusing",
    ...(view.evergreen.length
      ? view.evergreen.map(
          (post) =>
            `  ${post.label}: week 4 brought ${f.percent(post.week4VsWeek1)} of week 1${post.url ? ` ${post.url}` : ""}`,
        )
      : ["  none yet"]),
    "",
    "Micro vs macro, value per unit of fee (last 90 days)",
    `  ${value(view.microVsMacro.micro)}`,
    `  ${value(view.microVsMacro.macro)}`,
    "",
    `Week-2 retention by publishing week: ${view.retentionTrend.map((w) => `${w.week} ${f.percent(w.week2Retention)}`).join(" · ") || "not enough history yet"}`,
  ].join("\n");
}

function longevityAlertsText(view: LongevityAlertsView): string {
  const f = formatterFor(view.workspace);
  const { check } = view;
  const header = [
    `Longevity check${view.campaign ? ` · ${view.campaign}` : ""} · ${asOfLine(view, f)}`,
    `Week-2 retention of posts published ${f.date(check.current.from)} – ${f.date(check.current.to)}: ${f.percent(check.current.week2Retention)} (${check.current.posts} posts)`,
    `Baseline ${f.date(check.baseline.from)} – ${f.date(check.baseline.to)}: ${f.percent(check.baseline.week2Retention)} (${check.baseline.posts} posts)`,
    `Rule: alert when more than ${f.percent(view.rule.drop)} lower, with at least ${view.rule.minPosts} posts on each side.`,
  ];
  if (view.alerts.length === 0) return [...header, "", `No alert: ${check.reason}.`].join("\n");
  const alerts = view.alerts.flatMap((alert) => [
    `ALERT ${alert.campaign ?? "whole workspace"}: week-2 retention down ${f.percent(alert.drop)} — ${f.percent(alert.current.week2Retention)} on ${alert.current.posts} posts vs ${f.percent(alert.baseline.week2Retention)} on ${alert.baseline.posts}.`,
    ...alert.drivers.map(
      (driver) =>
        `  @${driver.handle}: ${f.percent(driver.week2Retention)} on ${driver.posts} posts, ${f.percent(driver.share)} of the drop`,
    ),
  ]);
  return [...header, "", ...alerts].join("\n");
}

function notFoundText(view: NotFoundView): string {
  const what = view.entity === "creator" ? `@${view.query}` : `“${view.query}”`;
  const hint = view.suggestions.length ? ` Did you mean ${view.suggestions.join(", ")}?` : "";
  return `I don't know the ${view.entity} ${what} in workspace ${view.workspace.slug}.${hint}`;
}

function helpText(view: HelpView): string {
  const intro = view.notUnderstood
    ? [`I didn't understand “${view.notUnderstood.text}”: ${view.notUnderstood.reason}`, ""]
    : [
        "Longtail puts what is easy to count (clicks, codes, sales) next to what lasts (engagement that keeps coming).",
        "",
      ];
  const sections = view.sections.flatMap((section) => [
    `${section.title} — ${section.summary}`,
    ...section.examples.map((example) => `  ${example}`),
    "",
  ]);
  const glossary = view.glossary.length
    ? ["What the lasting numbers mean", ...view.glossary.map((entry) => `  ${entry.term}: ${entry.meaning}`)]
    : [];
  return [...intro, ...sections, ...glossary].join("\n").trimEnd();
}
