/**
 * One card layout for every platform: a view model becomes a platform-neutral list of sections,
 * and each renderer (slack.ts → Block Kit, text.ts → the CLI, teams.ts → Adaptive Cards) walks
 * them. Everything a card says is decided here, once; a renderer only decides how it looks.
 *
 * API (small on purpose):
 * - `layoutView(view)` → `Layout` for any `ViewModel`; `layoutHome(home)` → `Layout` for a home screen.
 * - `Layout` = `{ summary, sections }`: `summary` is a one-line plain-text fallback (notifications).
 * - `Section` kinds, in reading order:
 *   - `title`: a heading (plain text).
 *   - `context`: a small secondary line.
 *   - `text`: lines of `Span`s, optionally with one `Action` beside them (e.g. "Open campaign report").
 *   - `rows`: a heading and `Row`s (label, value, basis, against the tier median): a fact list.
 *   - `columns`: two columns of `Cell`s (a `Row` of label/value, or a free `Line`), under an optional heading.
 *   - `actions`: buttons; each `Action` carries a `Suggestion` (what it asks) and a `purpose`.
 *   - `chart`: a Chart.js config and its alt text (charts.ts); a renderer links, uploads or skips it.
 * - `Span`: a plain string (people's words: the renderer escapes it), `{ strong }`, `{ note }`
 *   (secondary / italic; also "not enough history yet"), `{ link, url }`, `{ channel }` (a
 *   ChannelRef the renderer links or names), `{ ask }` (a Suggestion the renderer phrases as its
 *   platform's command), `{ code }` (typed verbatim in a terminal) and `{ icon }`.
 * - `Row` = `{ label, value, known, basis?, versusMedian?, change? }`: one number and its context.
 */
import { type CollectedPlatform, PLATFORM_NAMES } from "../collect/postLink.ts";
import { describeAlertRule } from "../commands/alertRules.ts";
import type { HelpSection } from "../commands/help.ts";
import { FIGURE_LABELS, type MetricKey, metricDefinition, perFeeLabel } from "../commands/metricKeys.ts";
import type { Suggestion } from "../commands/suggestion.ts";
import type {
  CampaignReportView,
  ChannelRef,
  CompareTiersView,
  CreatorProfileView,
  CreatorRetentionAlertView,
  CreatorWeekRow,
  CredentialMissingProblem,
  CredentialRefusedProblem,
  EvergreenAlertView,
  HelpView,
  HomeProblem,
  HomeView,
  LongevityAlert,
  LongevityAlertsView,
  MessageView,
  NotFoundView,
  RetentionWeek,
  SubscriptionRow,
  SubscriptionsView,
  TierRow,
  TopView,
  TrackedRow,
  TrackedView,
  ValuePerFee,
  ViewModel,
  WeeklyDigestView,
  WeekNumbers,
  WorkspaceInfo,
} from "../insights/viewModels.ts";
import { ENGAGEMENT_PARTS } from "../metrics/curve.ts";
import {
  combinedGiven,
  countersNotGiven,
  type GivenBasis,
  type NotGiven,
  RATE_INPUTS,
} from "../metrics/given.ts";
import type { Aggregate, Counter, MetricBasis } from "../metrics/types.ts";
import { clicksPerFee, type ViewChart, viewCharts } from "./charts.ts";
import { type Formatter, formatMetric, formatterFor, NOT_ENOUGH_HISTORY, versus } from "./format.ts";

export type Icon = "success" | "info" | "warning" | "drop";

export type Span =
  | string
  | { strong: string }
  | { note: string }
  | { link: string; url: string | null }
  | { channel: ChannelRef }
  | { ask: Suggestion }
  | { code: string }
  | { icon: Icon };

export type Line = Span[];

/** One number with what qualifies it. */
export interface Row {
  label: string;
  /** Formatted; "not enough history yet" when `known` is false. */
  value: string;
  known: boolean;
  /** Computed over `posts` of `of` posts (shown only when fewer than all). */
  basis?: { posts: number; of: number };
  /** Against the tier median: `median` null when the tier has none yet. */
  versusMedian?: { median: string | null; trend: "up" | "down" | "same" | null };
  /** Against the week before: "−18%", "=". */
  change?: string;
}

export type Cell = Row | Line;

export interface Action {
  label: string;
  ask: Suggestion;
  purpose: "suggestion" | "openCampaign";
}

export type Section =
  | { kind: "title"; text: string }
  | { kind: "context"; line: Line }
  | { kind: "text"; lines: Line[]; action?: Action }
  | { kind: "rows"; heading: Line; rows: Row[] }
  | { kind: "columns"; heading?: Line; columns: [Cell[], Cell[]] }
  | { kind: "actions"; actions: Action[] }
  | { kind: "chart"; chart: ViewChart };

export interface Layout {
  /** One line of plain text: the notification fallback. */
  summary: string;
  sections: Section[];
}

export const DIRECT_TITLE = "Direct — easy to count";
export const LASTING_TITLE = "Lasting — what keeps earning";
export const INTRO =
  "Longtail puts what is easy to count (clicks, codes, sales) next to what lasts (engagement that keeps coming).";
/** A home screen lists this many alerts and counts the rest. */
export const MAX_HOME_ALERTS = 10;
const MAX_INLINE_ITEMS = 10;
/** A count or rate none of whose posts gives its inputs (blank in the data, which is not 0). */
export const NOT_GIVEN = "not given";

/** Any view model as sections, charts last. */
export function layoutView(view: ViewModel): Layout {
  const layout = cardFor(view);
  const charts = viewCharts(view).map((chart): Section => ({ kind: "chart", chart }));
  return { ...layout, sections: [...layout.sections, ...charts] };
}

/** The home screen: this week, alerts, subscriptions, problems and how to ask. */
export function layoutHome(home: HomeView): Layout {
  const problems = home.problems.map((problem) => [{ icon: "warning" } as Span, ...problemLine(problem)]);
  return {
    summary: "Longtail",
    sections: [
      title("Longtail"),
      context(
        "What is easy to count (clicks, codes, sales) next to what lasts (engagement that keeps coming).",
      ),
      title("This week"),
      ...(home.digest
        ? digestSummary(home.digest)
        : [text([[{ note: "No digest yet: it appears once posts are imported." }]])]),
      title("Active alerts"),
      ...activeAlerts(home.alerts),
      title("Subscriptions in this workspace"),
      text(subscriptionLines(home.subscriptions)),
      ...(problems.length ? [title("Needs attention"), text(problems)] : []),
      title("How to ask"),
      text(howToAsk()),
    ],
  };
}

function cardFor(view: ViewModel): Layout {
  switch (view.kind) {
    case "creatorProfile":
      return creatorProfileCard(view);
    case "campaignReport":
      return campaignReportCard(view);
    case "compareTiers":
      return compareTiersCard(view);
    case "top":
      return topCard(view);
    case "weeklyDigest":
      return weeklyDigestCard(view);
    case "longevityAlerts":
      return longevityAlertsCard(view);
    case "evergreenAlert":
      return evergreenAlertCard(view);
    case "creatorRetentionAlert":
      return creatorRetentionAlertCard(view);
    case "subscriptions":
      return subscriptionsCard(view);
    case "notFound":
      return notFoundCard(view);
    case "help":
      return helpCard(view);
    case "tracked":
      return trackedCard(view);
    case "message":
      return messageCard(view);
  }
}

function creatorProfileCard(view: CreatorProfileView): Layout {
  const f = formatterFor(view.workspace);
  const { creator } = view;
  const handle = `@${creator.handle}`;
  return {
    summary: `${handle} (${creator.tier}): ${counted(f, view.direct.clicks, "click")} · ${inlineText("week-2 retention", f.percent(view.sustained.week2Retention))}`,
    sections: [
      title(handle),
      ...(view.resolvedFrom === null
        ? []
        : [context(`Showing ${handle}: the one creator whose handle matches “${view.resolvedFrom}”.`)]),
      context(
        [
          creator.tier,
          counted(f, creator.followers, "follower"),
          counted(f, view.posts, "post"),
          creator.platform,
          `as of ${f.date(view.asOf)}`,
        ].join(" · "),
      ),
      directVsLasting(view, f),
      ...notGivenNote(view.basis, f),
      againstTierMedian(view, f),
      ...(view.campaigns.length ? [context(`Campaigns: ${inlineList(view.campaigns)}`)] : []),
      ...curveNote(view.curve, f),
    ],
  };
}

function campaignReportCard(view: CampaignReportView): Layout {
  const f = formatterFor(view.workspace);
  const name = view.campaign.name;
  return {
    summary: `Campaign ${name}: ${counted(f, view.direct.clicks, "click")} · ${sustainedText(f, view.sustained.sustainedEngagements, "sustained engagements")}`,
    sections: [
      title(`Campaign ${name}`),
      context(
        `${counted(f, view.creators, "creator")} · ${counted(f, view.posts, "post")} · as of ${f.date(view.asOf)}`,
      ),
      directVsLasting(view, f),
      ...notGivenNote(view.basis, f),
      text([[{ strong: "By tier" }], ...view.byTier.map((row) => tierLine(row, f))]),
      text([
        [{ strong: "Creators who kept earning" }, " (sustained engagements)"],
        ...view.topCreators.map(
          (row, i): Line => [
            `${i + 1}. @${row.handle} (${row.tier}) — `,
            ...sustainedSpans(f, row.sustainedEngagements),
            ` · ${counted(f, row.clicks, "click")} · `,
            ...inline("week-2 retention", f.percent(row.week2Retention)),
          ],
        ),
      ]),
      retentionTrendSection(view.retentionTrend, f),
      ...curveNote(view.curve, f),
    ],
  };
}

function compareTiersCard(view: CompareTiersView): Layout {
  const f = formatterFor(view.workspace);
  const head = [title("Tiers compared"), context(`as of ${f.date(view.asOf)}`)];
  if (view.tiers.length === 0) {
    return { summary: "No posts to compare yet.", sections: [...head, text([["No posts to compare yet."]])] };
  }
  return {
    summary: `Tiers compared: ${view.tiers.map((row) => row.tier).join(", ")}`,
    sections: [
      ...head,
      { kind: "columns", columns: [[[{ strong: DIRECT_TITLE }]], [[{ strong: LASTING_TITLE }]]] },
      ...view.tiers.map((row) => tierColumns(row, f, view.workspace.currency)),
    ],
  };
}

function tierColumns(row: TierRow, f: Formatter, currency: string): Section {
  return {
    kind: "columns",
    heading: [
      { strong: row.tier },
      ` · ${counted(f, row.creators, "creator")} · ${counted(f, row.posts, "post")} · ${f.money(row.fee)} fee`,
    ],
    columns: [
      [
        metricRow("clicks", row.clicks, f),
        valueRow(perFeeLabel("clicks", currency), f.ratio(clicksPerFee(row))),
      ],
      [
        metricRow(
          "sustainedEngagements",
          row.sustainedEngagements,
          f,
          basisOf(row.basis.sustained, row.posts),
        ),
        metricRow("costPerSustainedEngagement", row.costPerSustainedEngagement, f),
        metricRow("week2Retention", row.week2Retention, f),
        metricRow("longevity", row.longevity, f),
        valueRow(FIGURE_LABELS.medianHalfLife, f.days(row.medianHalfLifeDays)),
        metricRow("cpe", row.cpe, f),
        valueRow(perFeeLabel("emv", currency), f.ratio(row.emvPerFee)),
      ],
    ],
  };
}

function topCard(view: TopView): Layout {
  const f = formatterFor(view.workspace);
  const { label } = metricDefinition(view.metric.key);
  if (view.rows.length === 0 && view.withoutValue === 0 && !view.campaign && !view.period) {
    return emptyWorkspaceCard(view.workspace, view.entity);
  }
  const heading = view.rows.length
    ? `Top ${counted(f, view.rows.length, view.entity.slice(0, -1))} by ${label}`
    : `No ${view.entity} with ${label} yet`;
  const scope = [
    view.campaign ? `in ${view.campaign}` : "",
    view.period ? `published ${f.date(view.period.from)} – ${f.date(view.period.to)}` : "",
    `as of ${f.date(view.asOf)}`,
  ].filter(Boolean);
  const rows = view.rows.map(
    (row): Line => [
      `${row.rank}. `,
      { link: row.label, url: row.url },
      " — ",
      emphasis(formatMetric(f, view.metric.key, row.value)),
      ` · ${counted(f, row.posts, "post")} · ${counted(f, row.clicks, "click")} · `,
      ...sustainedSpans(f, row.sustainedEngagements),
    ],
  );
  const withoutValue = view.withoutValue
    ? [
        context(
          `${counted(f, view.withoutValue, `more ${view.entity.slice(0, -1)}`)} without enough history for ${label} yet.`,
        ),
      ]
    : [];
  return {
    summary: heading,
    sections: [
      title(heading),
      context(scope.join(" · ")),
      text(rows.length ? rows : [[`None yet: no ${view.entity} have ${label} yet.`]]),
      ...withoutValue,
    ],
  };
}

/** A workspace without creators: what to do first instead of an empty ranking. */
function emptyWorkspaceCard(workspace: WorkspaceInfo, entity: TopView["entity"]): Layout {
  const sentence = `No ${entity} yet in workspace ${workspace.slug}: import some data first.`;
  return {
    summary: sentence,
    sections: [
      text([[{ icon: "info" }, " ", { strong: `No ${entity} yet in workspace ${workspace.slug}` }]]),
      text([
        ["Import some data from a terminal:"],
        [{ code: `longtail import posts.csv --workspace ${workspace.slug}` }],
        ["or send it to the HTTP ingest API."],
      ]),
    ],
  };
}

function weeklyDigestCard(view: WeeklyDigestView): Layout {
  const f = formatterFor(view.workspace);
  const heading = `Weekly digest${view.campaign ? ` · ${view.campaign}` : ""}`;
  return {
    summary: `${heading}: ${counted(f, view.thisWeek.clicks, "click")} · ${counted(f, view.thisWeek.sustainedEngagements, "sustained engagement")} this week`,
    sections: [
      title(heading),
      ...digestSummary(view),
      evergreenSection(view, f),
      valuePerFeeColumns(view, f),
      ...notGivenNote(combinedGiven([view.microVsMacro.micro.basis, view.microVsMacro.macro.basis]), f),
      retentionTrendSection(view.retentionTrend, f),
    ],
  };
}

/** This week against the week before, then who led on clicks and on sustained engagement. */
function digestSummary(view: WeeklyDigestView): Section[] {
  const f = formatterFor(view.workspace);
  const week = (label: string, pick: (numbers: WeekNumbers) => number): Row => {
    const change = versus(pick(view.thisWeek), pick(view.previousWeek));
    return { ...valueRow(label, f.count(pick(view.thisWeek))), ...(change ? { change } : {}) };
  };
  const creators = (heading: string, rows: CreatorWeekRow[], pick: (row: CreatorWeekRow) => number) => [
    [{ strong: heading }],
    ...(rows.length
      ? rows.map((row, i): Line => [`${i + 1}. @${row.handle} (${row.tier}) `, emphasis(f.count(pick(row)))])
      : [[{ note: "nobody yet" }]]),
  ];
  return [
    context(`${f.date(view.week.from)} – ${f.date(view.week.to)} · workspace ${view.workspace.slug}`),
    {
      kind: "columns",
      columns: [
        [
          [{ strong: DIRECT_TITLE }],
          week(FIGURE_LABELS.postsPublished, (w) => w.postsPublished),
          week(metricDefinition("clicks").label, (w) => w.clicks),
        ],
        [
          [{ strong: LASTING_TITLE }],
          week(metricDefinition("engagements").label, (w) => w.engagements),
          week(metricDefinition("sustainedEngagements").label, (w) => w.sustainedEngagements),
          [{ note: "earned by posts past their first week" }],
        ],
      ],
    },
    {
      kind: "columns",
      columns: [
        creators("Top by clicks", view.topByClicks, (row) => row.clicks),
        creators("Top by sustained engagement", view.topBySustained, (row) => row.sustainedEngagements),
      ],
    },
  ];
}

function evergreenSection(view: WeeklyDigestView, f: Formatter): Section {
  const posts = view.evergreen.map(
    (post): Line => [
      "• ",
      { link: post.label, url: post.url },
      ": week 4 brought ",
      emphasis(f.percent(post.week4VsWeek1)),
      ` of week 1 · ${f.count(post.sustainedEngagements)} sustained`,
    ],
  );
  return text([
    [{ strong: "Evergreen posts worth reusing" }],
    ...(posts.length ? posts : [[{ note: "none yet" }]]),
  ]);
}

function valuePerFeeColumns(view: WeeklyDigestView, f: Formatter): Section {
  const per = view.workspace.currency;
  const column = (value: ValuePerFee): Cell[] => [
    [{ strong: value.tier }, ` (${counted(f, value.posts, "post")}, ${f.money(value.fee)} fee)`],
    valueRow(perFeeLabel("clicks", per), f.ratio(value.clicksPerFee)),
    valueRow(perFeeLabel("sustainedEngagements", per), f.ratio(value.sustainedEngagementsPerFee)),
    valueRow(perFeeLabel("emv", per), f.ratio(value.emvPerFee)),
  ];
  const { micro, macro } = view.microVsMacro;
  return {
    kind: "columns",
    heading: [{ strong: "Micro vs macro" }, ", value per unit of fee (posts of the last 90 days)"],
    columns: [column(micro), column(macro)],
  };
}

function retentionTrendSection(weeks: RetentionWeek[], f: Formatter): Section {
  const trend: Line = weeks.flatMap((week, i) => [
    ...(i ? [" · "] : []),
    ...inline(f.monthDay(week.week), f.percent(week.week2Retention)),
  ]);
  return text([
    [{ strong: "Week-2 retention by publishing week" }],
    trend.length ? trend : [{ note: NOT_ENOUGH_HISTORY }],
  ]);
}

/** How many posts the "per post over time" chart averages over, and up to which day. */
function curveNote(curve: CreatorProfileView["curve"], f: Formatter): Section[] {
  const last = curve.filter((point) => point.posts > 0).at(-1);
  if (!last) return [];
  return [
    context(
      `Engagements per post over time: the same ${counted(f, last.posts, "post")} from day 1 to day ${last.day}.`,
    ),
  ];
}

function longevityAlertsCard(view: LongevityAlertsView): Layout {
  const f = formatterFor(view.workspace);
  const scope = view.campaign ? ` · ${view.campaign}` : "";
  const heading = view.alerts.length ? `Longevity dropped${scope}` : `Longevity check${scope}: no alert`;
  const { current, baseline } = view.check;
  const cohort = (label: string, stats: typeof current): Cell[] => [
    [{ strong: label }, ` (published ${f.date(stats.from)} – ${f.date(stats.to)})`],
    [
      ...rowSpans(metricDefinition("week2Retention").label, f.percent(stats.week2Retention)),
      ` on ${counted(f, stats.posts, "post")}`,
    ],
  ];
  return {
    summary: view.alerts.length
      ? `${heading}: ${view.alerts.map((alert) => alertHeadline(alert, f)).join("; ")}`
      : heading,
    sections: [
      title(heading),
      context(
        `as of ${f.date(view.asOf)} · alerts when week-2 retention is more than ${f.percent(view.rule.drop)} ` +
          `below the baseline, with at least ${counted(f, view.rule.minPosts, "post")} on each side`,
      ),
      { kind: "columns", columns: [cohort("Recent posts", current), cohort("Baseline", baseline)] },
      ...(view.check.fired
        ? []
        : [text([[`No alert${view.campaign ? "" : " for the whole workspace"}: ${view.check.reason}.`]])]),
      ...view.alerts.map((alert) => alertSection(alert, f)),
    ],
  };
}

function alertHeadline(alert: LongevityAlert, f: Formatter): string {
  return `${alert.campaign ?? "whole workspace"}: week-2 retention down ${f.percent(alert.drop)}`;
}

/** What dropped, by how much, on how many posts, against what, and who drove it. */
function alertSection(alert: LongevityAlert, f: Formatter): Section {
  const drivers = alert.drivers.map(
    (driver): Line => [
      `• @${driver.handle}: `,
      ...inline("week-2 retention", f.percent(driver.week2Retention)),
      ` on ${counted(f, driver.posts, "post")}, `,
      emphasis(f.percent(driver.share)),
      " of the drop",
    ],
  );
  return {
    kind: "text",
    lines: [
      [{ icon: "drop" }, " ", { strong: alertHeadline(alert, f) }],
      [
        emphasis(f.percent(alert.current.week2Retention)),
        ` on ${counted(f, alert.current.posts, "recent post")} against a baseline of ` +
          `${f.percent(alert.baseline.week2Retention)} on ${counted(f, alert.baseline.posts, "post")}`,
      ],
      ...(drivers.length ? [["Driven by"], ...drivers] : []),
    ],
    ...(alert.campaign
      ? {
          action: {
            label: "Open campaign report",
            ask: { kind: "campaign", name: alert.campaign },
            purpose: "openCampaign",
          } satisfies Action,
        }
      : {}),
  };
}

function evergreenAlertCard(view: EvergreenAlertView): Layout {
  const f = formatterFor(view.workspace);
  const { post } = view;
  const heading = `Evergreen: @${post.handle}'s ${post.platform} post ${post.externalId} is still earning in week 4`;
  return {
    summary: heading,
    sections: [
      text([
        [{ icon: "success" }, " ", { strong: heading }],
        [
          `Week 4 brought ${counted(f, view.week4Engagements, "engagement")}, `,
          emphasis(f.percent(view.week4VsWeek1)),
          ` of week 1 (${f.count(view.week1Engagements)}).`,
        ],
        [
          `Published ${f.date(post.publishedAt)}${post.campaign ? ` for ${post.campaign}` : ""}: worth reusing on other channels.`,
        ],
        ...(post.url ? [[{ link: post.url, url: post.url }]] : []),
      ]),
      {
        kind: "actions",
        actions: [askAction(`Open @${post.handle}`, { kind: "creator", handle: post.handle })],
      },
    ],
  };
}

function creatorRetentionAlertCard(view: CreatorRetentionAlertView): Layout {
  const f = formatterFor(view.workspace);
  const { current, baseline } = view;
  const heading =
    `@${view.creator.handle}'s week-2 retention fell to ${f.percent(current.week2Retention)}, ` +
    `below ${f.percent(view.threshold)} of their own ${f.percent(baseline.week2Retention)}`;
  return {
    summary: heading,
    sections: [
      text([
        [{ icon: "drop" }, " ", { strong: heading }],
        [
          `Posts published ${f.date(current.from)} – ${f.date(current.to)}: ${f.percent(current.week2Retention)} on ${counted(f, current.posts, "post")}; ` +
            `the 8 weeks before: ${f.percent(baseline.week2Retention)} on ${counted(f, baseline.posts, "post")}.`,
        ],
        ["Ask: ", { ask: { kind: "creator", handle: view.creator.handle } }],
      ]),
    ],
  };
}

function subscriptionsCard(view: SubscriptionsView): Layout {
  const f = formatterFor(view.workspace);
  if (view.subscriptions.length === 0 && view.alertRules.length === 0) {
    const heading = "No subscriptions or alerts in this workspace yet.";
    return {
      summary: heading,
      sections: [
        text([
          [{ icon: "info" }, " ", { strong: heading }],
          [
            "Try ",
            { ask: { kind: "words", words: "subscribe weekly mon 09:00" } },
            " or ",
            { ask: { kind: "words", words: "alert longevity drop 25%" } },
            ".",
          ],
        ]),
      ],
    };
  }
  const heading = `Subscriptions and alerts in ${view.workspace.name} (as of ${f.date(view.asOf)})`;
  const digests = view.subscriptions.map(
    (s): Line => [
      "Digest → ",
      { channel: s.channel },
      `: ${s.schedule} (${s.timezone})${s.campaign ? `, ${s.campaign}` : ""}` +
        (s.stopped === null && s.nextRunAt
          ? `, next ${formatterFor({ ...view.workspace, timezone: s.timezone }).dateTime(s.nextRunAt)}`
          : ` — stopped: ${s.stopped}`),
    ],
  );
  const rules = view.alertRules.map(
    (r): Line => [
      "Alert → ",
      { channel: r.channel },
      `: ${describeAlertRule(r.rule, r.threshold)}${r.campaign ? `, ${r.campaign}` : ""}` +
        (r.stopped === null ? "" : ` — stopped: ${r.stopped}`),
    ],
  );
  return {
    summary: heading,
    sections: [text([[{ icon: "info" }, " ", { strong: heading }], ...digests, ...rules])],
  };
}

/** "Did you mean" with a button per suggestion. */
function notFoundCard(view: NotFoundView): Layout {
  const what = view.entity === "creator" ? `@${view.query}` : `the ${view.entity} “${view.query}”`;
  const hint = view.suggestions.length ? ` Did you mean ${view.suggestions.join(", ")}?` : "";
  const sentence = `I don't know ${what}.${hint}`;
  const { entity } = view;
  const actions =
    entity === "workspace"
      ? []
      : view.suggestions.map((suggestion) =>
          askAction(
            suggestion,
            entity === "creator"
              ? { kind: "creator", handle: suggestion.replace(/^@/, "") }
              : { kind: "campaign", name: suggestion },
          ),
        );
  return {
    summary: sentence,
    sections: [text([[sentence]]), ...(actions.length ? [{ kind: "actions", actions } as Section] : [])],
  };
}

function helpCard(view: HelpView): Layout {
  const intro: Line = view.notUnderstood
    ? [`I didn't understand “${view.notUnderstood.text}”: ${view.notUnderstood.reason}`]
    : [`${INTRO} Type any example below.`];
  const glossary = view.glossary.map((entry): Line => [{ strong: entry.term }, ` — ${entry.meaning}`]);
  return {
    summary: view.notUnderstood ? `I didn't understand “${view.notUnderstood.text}”` : "How to ask Longtail",
    sections: [
      title("How to ask Longtail"),
      text([intro]),
      ...view.sections.map((topic) => text(helpSectionLines(topic))),
      ...(glossary.length ? [text([[{ strong: "What the lasting numbers mean" }], ...glossary])] : []),
    ],
  };
}

function helpSectionLines(topic: HelpSection): Line[] {
  const examples = topic.examples.map(
    (words): Line => (topic.typedIn === "chat" ? [{ ask: { kind: "words", words } }] : [{ code: words }]),
  );
  return [
    [{ strong: topic.title }, ` — ${topic.summary}`],
    ...examples,
    ...(topic.typedIn === "cli" ? [[{ note: "typed in a terminal, not in the chat" }]] : []),
  ];
}

const TONE_ICON: Record<MessageView["tone"], Icon> = { success: "success", info: "info", error: "warning" };

/** `tracked` lists this many posts and counts the rest. */
export const MAX_TRACKED_LISTED = 20;

function trackedCard(view: TrackedView): Layout {
  const f = formatterFor(view.workspace);
  const scope = view.campaign === null ? "" : ` in ${view.campaign}`;
  if (view.posts.length === 0) {
    const heading = `No tracked posts${scope} yet.`;
    return {
      summary: heading,
      sections: [
        text([
          [{ icon: "info" }, " ", { strong: heading }],
          [
            "Paste a post's link: ",
            { ask: { kind: "words", words: "track https://www.instagram.com/p/…" } },
            ".",
          ],
        ]),
      ],
    };
  }
  const heading = `Tracked posts${scope} (${view.posts.length})`;
  const hidden = view.posts.length - MAX_TRACKED_LISTED;
  return {
    summary: heading,
    sections: [
      title(heading),
      context(
        `Collected hourly for 3 days after publishing, then daily until day 60 · as of ${f.dateTime(view.asOf)}`,
      ),
      text(view.posts.slice(0, MAX_TRACKED_LISTED).map((post) => trackedLine(post, f))),
      ...(hidden > 0 ? [context(`…and ${hidden} more.`)] : []),
    ],
  };
}

function trackedLine(post: TrackedRow, f: Formatter): Line {
  const platform = PLATFORM_NAMES[post.platform as CollectedPlatform] ?? post.platform;
  const who = post.handle === null ? "" : ` @${post.handle}`;
  const campaign = post.campaign === null ? "" : ` · ${post.campaign}`;
  const last =
    post.lastCollectedAt === null ? "not collected yet" : `last ${f.dateTime(post.lastCollectedAt)}`;
  const state =
    post.stopped !== null
      ? `stopped: ${post.stopped}`
      : `${last}, next ${f.dateTime(post.nextCollectionAt ?? post.lastCollectedAt ?? "")}` +
        (post.lastError === null ? "" : ` (waiting: ${post.lastError})`);
  return [
    { strong: `${platform}${who}` },
    " ",
    { link: post.url, url: post.url },
    `${campaign} · ${counted(f, post.snapshots, "snapshot")} · ${state}`,
  ];
}

function messageCard(view: MessageView): Layout {
  const next = (view.next ?? []).map((hint): Line => [`${hint.lead} `, { ask: hint.ask }, "."]);
  const reference = view.reference
    ? [[`If it keeps happening, give your Longtail admin this reference: `, { strong: view.reference }]]
    : [];
  return {
    summary: view.title,
    sections: [
      text([
        [{ icon: TONE_ICON[view.tone] }, " ", { strong: view.title }],
        ...view.lines.map((line): Line => [line]),
        ...next,
        ...reference,
      ]),
    ],
  };
}

/** The first alerts; the rest are counted, so the home screen's other parts keep their room. */
function activeAlerts(view: LongevityAlertsView | null): Section[] {
  if (!view?.alerts.length) return [text([[{ note: "No longevity alert right now." }]])];
  const f = formatterFor(view.workspace);
  const hidden = view.alerts.length - MAX_HOME_ALERTS;
  return [
    ...view.alerts.slice(0, MAX_HOME_ALERTS).map((alert) => alertSection(alert, f)),
    ...(hidden > 0
      ? [context([`…and ${hidden} more: `, { ask: { kind: "alerts" } }, " lists them all."])]
      : []),
  ];
}

function subscriptionLines(subscriptions: SubscriptionRow[]): Line[] {
  if (subscriptions.length === 0) {
    return [
      [
        { note: "No channel subscribes yet." },
        " In a channel, type ",
        { ask: { kind: "words", words: "subscribe weekly mon 09:00" } },
        ".",
      ],
    ];
  }
  return subscriptions.map(
    (subscription): Line => [
      "• ",
      { channel: subscription.channel },
      ` — ${subscription.schedule} (${subscription.timezone})` +
        (subscription.campaign ? ` · campaign ${subscription.campaign}` : ""),
    ],
  );
}

function problemLine(problem: HomeProblem): Line {
  if (problem.kind === "stopped") {
    return [" The digest to ", { channel: problem.channel }, ` stopped: ${problem.reason}.`];
  }
  if (problem.kind === "credentialRefused") return credentialRefusedLine(problem);
  if (problem.kind === "credentialMissing") return credentialMissingLine(problem);
  const what = {
    digest: "This week's digest",
    alerts: "The longevity alerts",
    subscriptions: "The subscriptions list",
    connections: "The platform connections",
  };
  return [
    ` ${what[problem.part]} could not be computed just now; it will be back when you open this tab again.`,
  ];
}

function credentialRefusedLine(problem: CredentialRefusedProblem): Line {
  const name = PLATFORM_NAMES[problem.platform];
  const whose =
    problem.subject !== null
      ? `@${problem.subject}'s token`
      : problem.platform === "youtube"
        ? "the workspace's API key"
        : "the workspace's token";
  const since = formatterFor(problem.workspace).date(problem.since);
  const why = /[.!?]$/.test(problem.problem) ? problem.problem : `${problem.problem}.`;
  return [
    ` ${name} stopped accepting ${whose} on ${since}: ${why} Collection waits; to replace it, run `,
    { code: problem.fix },
    ".",
  ];
}

function credentialMissingLine(problem: CredentialMissingProblem): Line {
  const name = PLATFORM_NAMES[problem.platform];
  const posts = `${problem.posts} tracked ${name} ${problem.posts === 1 ? "post waits" : "posts wait"}`;
  if (problem.platform === "tiktok") {
    const creators = problem.creators.map((handle) => `@${handle}`).join(", ");
    return [` ${posts} for their creators' tokens (${creators}): for each, run `, { code: problem.fix }, "."];
  }
  const need =
    problem.platform === "youtube" ? "a YouTube API key" : "the brand's Instagram business account";
  return [` ${posts} for ${need}: run `, { code: problem.fix }, "."];
}

function howToAsk(): Line[] {
  return [
    [{ ask: { kind: "words", words: "creator @anna" } }, " — ask about a creator"],
    [{ ask: { kind: "words", words: "campaign spring-launch" } }, " — ask about a campaign"],
    [{ ask: { kind: "words", words: "top 5 creators by longevity in spring-launch" } }, " — rankings"],
    [{ ask: { kind: "words", words: "compare tiers" } }, " — compare tiers"],
    [{ ask: { kind: "words", words: "digest" } }, " — digests and subscriptions"],
    [{ ask: { kind: "alerts" } }, " — alerts"],
    [{ ask: { kind: "help" } }, " — everything else"],
  ];
}

/**
 * The one note on what the metrics stand on, when some posts did not give a part of E or an input
 * of the rates, e.g. "Engagements count likes and comments; shares and saves were not collected."
 */
export function notGivenNote(basis: GivenBasis, f: Formatter): Section[] {
  const parts = countersNotGiven(basis, ENGAGEMENT_PARTS);
  const inputs = countersNotGiven(basis, RATE_INPUTS);
  const sentences: string[] = [];
  if (parts.length > 0) {
    const missing = new Set(parts.flatMap((group) => group.counters));
    const counted = ENGAGEMENT_PARTS.filter((part) => !missing.has(part));
    const what =
      counted.length > 0 ? `Engagements count ${listed(counted)}` : "Engagements count only the parts given";
    sentences.push(`${what}; ${parts.map((group) => notGivenPhrase(group, f)).join("; ")}.`);
  }
  if (inputs.length > 0) {
    const phrases = inputs.map((group) => notGivenPhrase(group, f)).join("; ");
    sentences.push(`${phrases.charAt(0).toUpperCase()}${phrases.slice(1)}.`);
  }
  return sentences.length > 0 ? [context([{ note: sentences.join(" ") }])] : [];
}

/** Counters named in the singular: the others (likes, shares, clicks …) are plural nouns. */
const SINGULAR_COUNTERS: readonly Counter[] = ["reach", "revenue"];

/** "shares and saves were not collected" (no post gives them), "reach was not given on 3 of 20 posts". */
function notGivenPhrase(group: NotGiven, f: Formatter): string {
  const [only, ...others] = group.counters;
  const verb = others.length === 0 && only !== undefined && SINGULAR_COUNTERS.includes(only) ? "was" : "were";
  const where =
    group.posts === group.of
      ? "collected"
      : `given on ${f.count(group.posts)} of ${counted(f, group.of, "post")}`;
  return `${listed(group.counters)} ${verb} not ${where}`;
}

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** What each metric reads: every group needs at least one of its counters given (EMV: any). */
const ENGAGEMENTS: readonly Counter[] = ENGAGEMENT_PARTS;
const METRIC_INPUTS: Record<MetricKey, readonly (readonly Counter[])[]> = {
  clicks: [["clicks"]],
  ctr: [["clicks"], ["impressions"]],
  cpc: [["clicks"]],
  redemptions: [["redemptions"]],
  conversions: [["conversions"]],
  cpa: [["conversions"]],
  revenue: [["revenue"]],
  roas: [["revenue"]],
  clickFrontLoading: [["clicks"]],
  engagements: [ENGAGEMENTS],
  sustainedEngagements: [ENGAGEMENTS],
  week2Retention: [ENGAGEMENTS],
  longevity: [ENGAGEMENTS],
  halfLifeDays: [ENGAGEMENTS],
  engagementRateByFollowers: [ENGAGEMENTS],
  saveShareRate: [["reach"], ["saves", "shares"]],
  cpe: [ENGAGEMENTS],
  costPerSustainedEngagement: [ENGAGEMENTS],
  emv: [],
};

/** Whether none of the observed posts gives what the metric reads (so it shows "not given"). */
function givenNowhere(key: MetricKey, basis: MetricBasis): boolean {
  return (
    basis.observed > 0 &&
    METRIC_INPUTS[key].some((group) => group.every((counter) => basis.given[counter] === 0))
  );
}

/** The direct numbers and the lasting ones side by side, in two columns. */
function directVsLasting(a: Aggregate, f: Formatter): Section {
  const { direct: d, sustained: s, basis } = a;
  const row = (key: MetricKey, value: number | null, rowBasis?: Row["basis"]) =>
    givenMetricRow(key, value, f, basis, rowBasis);
  return {
    kind: "columns",
    columns: [
      [
        [{ strong: DIRECT_TITLE }],
        row("clicks", d.clicks),
        row("ctr", d.ctr),
        row("cpc", d.cpc),
        row("redemptions", d.redemptions),
        row("conversions", d.conversions),
        row("revenue", d.revenue),
        row("roas", d.roas),
        row("clickFrontLoading", d.clickFrontLoading),
        valueRow(FIGURE_LABELS.fee, f.money(d.fee)),
      ],
      [
        [{ strong: LASTING_TITLE }],
        row("engagements", s.engagements),
        row("sustainedEngagements", s.sustainedEngagements, basisOf(basis.sustained, a.posts)),
        row("week2Retention", s.week2Retention, basisOf(basis.week2Retention, a.posts)),
        row("longevity", s.longevity, basisOf(basis.longevity, a.posts)),
        row("halfLifeDays", s.halfLifeDays),
        valueRow(FIGURE_LABELS.evergreenPosts, f.count(s.evergreenPosts)),
        row("engagementRateByFollowers", s.engagementRateByFollowers),
        row("saveShareRate", s.saveShareRate),
        row("cpe", s.cpe),
        row("costPerSustainedEngagement", s.costPerSustainedEngagement),
        row("emv", s.emv),
      ],
    ],
  };
}

/** A metric's row, "not given" when none of the posts of `given` gives what it reads. */
function givenMetricRow(
  key: MetricKey,
  value: number | null,
  f: Formatter,
  given: MetricBasis,
  basis?: Row["basis"],
): Row {
  if (givenNowhere(key, given)) return valueRow(metricDefinition(key).label, NOT_GIVEN);
  return metricRow(key, value, f, basis);
}

function againstTierMedian(view: CreatorProfileView, f: Formatter): Section {
  const { tierMedians: m, sustained: s } = view;
  const row = (key: MetricKey, value: number | null, median: number | null): Row => {
    const versusMedian: Row["versusMedian"] =
      median === null
        ? { median: null, trend: null }
        : { median: formatMetric(f, key, median), trend: trendOf(versus(value, median)) };
    return { ...givenMetricRow(key, value, f, view.basis), versusMedian };
  };
  return {
    kind: "rows",
    heading: [{ strong: `Against the median ${m.tier} creator` }, ` (${counted(f, m.creators, "creator")})`],
    rows: [
      row("week2Retention", s.week2Retention, m.week2Retention),
      row("longevity", s.longevity, m.longevity),
      row("halfLifeDays", s.halfLifeDays, m.halfLifeDays),
      row("engagementRateByFollowers", s.engagementRateByFollowers, m.engagementRateByFollowers),
      row("costPerSustainedEngagement", s.costPerSustainedEngagement, m.costPerSustainedEngagement),
      row("cpe", s.cpe, m.cpe),
      row("ctr", view.direct.ctr, m.ctr),
    ],
  };
}

function trendOf(change: string): "up" | "down" | "same" | null {
  if (change === "=") return "same";
  if (change === "") return null;
  return change.startsWith("+") ? "up" : "down";
}

function tierLine(row: TierRow, f: Formatter): Line {
  return [
    "• ",
    { strong: row.tier },
    ` — ${counted(f, row.creators, "creator")} · ${counted(f, row.posts, "post")}: ${counted(f, row.clicks, "click")} · `,
    ...sustainedSpans(f, row.sustainedEngagements),
    " · ",
    ...inline("week-2 retention", f.percent(row.week2Retention)),
    " · ",
    ...inline("cost per sustained engagement", f.money(row.costPerSustainedEngagement)),
  ];
}

/** A metric's row with the catalogue's label and format. */
function metricRow(key: MetricKey, value: number | null, f: Formatter, basis?: Row["basis"]): Row {
  return {
    ...valueRow(metricDefinition(key).label, formatMetric(f, key, value)),
    ...(basis ? { basis } : {}),
  };
}

function valueRow(label: string, value: string): Row {
  return { label, value, known: value !== NOT_ENOUGH_HISTORY && value !== NOT_GIVEN };
}

function basisOf(posts: number, of: number): Row["basis"] {
  return posts > 0 && posts < of ? { posts, of } : undefined;
}

/** "Label: *value*" as spans, for a free line that starts like a row. */
function rowSpans(label: string, value: string): Line {
  return [`${label}: `, emphasis(value)];
}

/** "1 post", "12,400 posts", "1 more creator"; "clicks not given" when no post gives them. */
export function counted(f: Formatter, value: number | null, noun: string): string {
  if (value === null) return `${noun}s ${NOT_GIVEN}`;
  return `${f.count(value)} ${noun}${value === 1 ? "" : "s"}`;
}

/** "7,400 sustained", or that there is no such number yet. */
function sustainedSpans(f: Formatter, value: number | null): Line {
  return value === null ? ["sustained: ", { note: NOT_ENOUGH_HISTORY }] : [`${f.count(value)} sustained`];
}

function sustainedText(f: Formatter, value: number | null, noun: string): string {
  return value === null ? `${noun}: ${NOT_ENOUGH_HISTORY}` : `${f.count(value)} ${noun}`;
}

/** "week-2 retention 25%", or "week-2 retention: _not enough history yet_". */
function inline(label: string, value: string): Line {
  return value === NOT_ENOUGH_HISTORY ? [`${label}: `, { note: value }] : [`${label} ${value}`];
}

function inlineText(label: string, value: string): string {
  return value === NOT_ENOUGH_HISTORY ? `${label}: ${value}` : `${label} ${value}`;
}

function emphasis(value: string): Span {
  return value === NOT_ENOUGH_HISTORY ? { note: value } : { strong: value };
}

function inlineList(items: readonly string[]): string {
  const shown = items.slice(0, MAX_INLINE_ITEMS).join(", ");
  return items.length > MAX_INLINE_ITEMS ? `${shown} …and ${items.length - MAX_INLINE_ITEMS} more` : shown;
}

function askAction(label: string, ask: Suggestion): Action {
  return { label, ask, purpose: "suggestion" };
}

function title(text: string): Section {
  return { kind: "title", text };
}

function context(line: string | Line): Section {
  return { kind: "context", line: typeof line === "string" ? [line] : line };
}

function text(lines: Line[]): Section {
  return { kind: "text", lines };
}
