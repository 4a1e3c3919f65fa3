import type {
  ActionsBlock,
  Button,
  ContextBlock,
  HeaderBlock,
  ImageBlock,
  KnownBlock,
  SectionBlock,
} from "@slack/types";
import { HELP_SECTIONS } from "../commands/help.ts";
import type {
  CampaignReportView,
  CompareTiersView,
  CreatorProfileView,
  CreatorWeekRow,
  HelpView,
  LongevityAlert,
  LongevityAlertsView,
  MessageView,
  NotFoundView,
  TierRow,
  TopView,
  ValuePerFee,
  ViewModel,
  WeeklyDigestView,
  WeekNumbers,
} from "../insights/viewModels.ts";
import type { Aggregate } from "../metrics/types.ts";
import { chartUrl, clicksPerFee, viewCharts } from "./charts.ts";
import { type Formatter, formatMetric, formatterFor, NOT_ENOUGH_HISTORY, versus } from "./format.ts";
import { fitSlackLimits, HOME_TAB_LIMITS, moreLine } from "./slackLimits.ts";

export const SHARE_ACTION_ID = "longtail_share";
export const SUGGESTION_ACTION_ID = "longtail_suggestion";
export const OPEN_CAMPAIGN_ACTION_ID = "longtail_open_campaign";

export interface SlackRenderOptions {
  chart?: { kind: "url"; host?: string } | { kind: "none" };
  shareButton?: boolean;
  /** The share button's value: the Slack layer's short key for what to share. */
  shareValue?: string;
}

export interface SlackMessage {
  /** The notification fallback. */
  text: string;
  blocks: KnownBlock[];
}

export interface SlackHome {
  digest: WeeklyDigestView | null;
  alerts: LongevityAlertsView | null;
  subscriptions: { channel: string; schedule: string; campaign: string | null }[];
  /** Things the workspace should fix, e.g. a subscription disabled and why. */
  problems: string[];
}

/** A card before charts, sharing and Slack's limits: its blocks and a one-line summary. */
interface Card {
  summary: string;
  blocks: KnownBlock[];
}

const DIRECT_TITLE = "*Direct — easy to count*";
const LASTING_TITLE = "*Lasting — what keeps earning*";
const MAX_INLINE_ITEMS = 10;
const MAX_HOME_ALERTS = 10;
/** The slash command every question can follow (manifests/slack/manifest.yml). */
const SLASH_COMMAND = "/longtail";

/** A view model as a Block Kit message, within Slack's limits. */
export function renderSlack(view: ViewModel, options: SlackRenderOptions = {}): SlackMessage {
  const card = cardFor(view);
  const blocks = [...card.blocks, ...chartBlocks(view, options), ...shareBlocks(options)];
  return fitSlackLimits({ text: escapeMrkdwn(card.summary), blocks });
}

/** The blocks of the App Home tab: this week, alerts, subscriptions, problems and how to ask. */
export function renderSlackHome(home: SlackHome): KnownBlock[] {
  const blocks: KnownBlock[] = [
    header("Longtail"),
    context(
      "What is easy to count (clicks, codes, sales) next to what lasts (engagement that keeps coming).",
    ),
    header("This week"),
    ...(home.digest
      ? digestSummary(home.digest)
      : [section("_No digest yet: it appears once posts are imported._")]),
    header("Active alerts"),
    ...activeAlerts(home.alerts),
    header("Subscriptions in this workspace"),
    section(subscriptionLines(home.subscriptions)),
    ...(home.problems.length
      ? [
          header("Needs attention"),
          section(home.problems.map((problem) => `:warning: ${escapeMrkdwn(problem)}`).join("\n")),
        ]
      : []),
    header("How to ask"),
    section(howToAsk()),
  ];
  return fitSlackLimits({ blocks }, HOME_TAB_LIMITS).blocks;
}

function cardFor(view: ViewModel): Card {
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
    case "notFound":
      return notFoundCard(view);
    case "help":
      return helpCard(view);
    case "message":
      return messageCard(view);
  }
}

function chartBlocks(view: ViewModel, options: SlackRenderOptions): ImageBlock[] {
  const chart = options.chart;
  if (chart?.kind !== "url") return [];
  return viewCharts(view).map(({ config, altText }) => ({
    type: "image",
    image_url: chartUrl(config, { host: chart.host }),
    alt_text: altText,
  }));
}

function shareBlocks(options: SlackRenderOptions): ActionsBlock[] {
  return options.shareButton
    ? [actions(button("Share in channel", SHARE_ACTION_ID, options.shareValue))]
    : [];
}

function creatorProfileCard(view: CreatorProfileView): Card {
  const f = formatterFor(view.workspace);
  const { creator } = view;
  const handle = `@${creator.handle}`;
  return {
    summary: `${handle} (${creator.tier}): ${f.count(view.direct.clicks)} clicks · ${inline("week-2 retention", f.percent(view.sustained.week2Retention))}`,
    blocks: [
      header(handle),
      context(
        [
          creator.tier,
          `${f.count(creator.followers)} followers`,
          counted(f, view.posts, "post"),
          escapeMrkdwn(creator.platform),
          `as of ${f.date(view.asOf)}`,
        ].join(" · "),
      ),
      directVsLasting(view, f),
      againstTierMedian(view, f),
      ...(view.campaigns.length
        ? [context(`Campaigns: ${inlineList(view.campaigns.map(escapeMrkdwn))}`)]
        : []),
    ],
  };
}

function campaignReportCard(view: CampaignReportView): Card {
  const f = formatterFor(view.workspace);
  const name = view.campaign.name;
  return {
    summary: `Campaign ${name}: ${f.count(view.direct.clicks)} clicks · ${sustainedPart(f, view.sustained.sustainedEngagements, "sustained engagements")}`,
    blocks: [
      header(`Campaign ${name}`),
      context(
        `${counted(f, view.creators, "creator")} · ${counted(f, view.posts, "post")} · as of ${f.date(view.asOf)}`,
      ),
      directVsLasting(view, f),
      section(["*By tier*", ...view.byTier.map((row) => tierLine(row, f))].join("\n")),
      section(
        [
          "*Creators who kept earning* (sustained engagements)",
          ...view.topCreators.map(
            (row, i) =>
              `${i + 1}. @${escapeMrkdwn(row.handle)} (${row.tier}) — ${sustainedPart(f, row.sustainedEngagements)} · ` +
              `${f.count(row.clicks)} clicks · ${inline("week-2 retention", f.percent(row.week2Retention))}`,
          ),
        ].join("\n"),
      ),
      retentionTrendSection(view.retentionTrend, f),
    ],
  };
}

function compareTiersCard(view: CompareTiersView): Card {
  const f = formatterFor(view.workspace);
  const blocks: KnownBlock[] = [header("Tiers compared"), context(`as of ${f.date(view.asOf)}`)];
  if (view.tiers.length === 0) {
    return { summary: "No posts to compare yet.", blocks: [...blocks, section("No posts to compare yet.")] };
  }
  return {
    summary: `Tiers compared: ${view.tiers.map((row) => row.tier).join(", ")}`,
    blocks: [
      ...blocks,
      fields([DIRECT_TITLE], [LASTING_TITLE]),
      ...view.tiers.map((row) => tierColumns(row, f, view.workspace.currency)),
    ],
  };
}

function tierColumns(row: TierRow, f: Formatter, currency: string): SectionBlock {
  return fields(
    [line("Clicks", f.count(row.clicks)), line(`Clicks per ${currency}`, f.ratio(clicksPerFee(row)))],
    [
      line(
        "Sustained engagements",
        f.count(row.sustainedEngagements),
        basisNote(row.basis.sustained, row.posts),
      ),
      line("Cost per sustained engagement", f.money(row.costPerSustainedEngagement)),
      line("Week-2 retention", f.percent(row.week2Retention)),
      line("Longevity", f.percent(row.longevity)),
      line("Half-life (median)", f.days(row.medianHalfLifeDays)),
      line("CPE", f.money(row.cpe)),
      line(`Earned media value per ${currency}`, f.ratio(row.emvPerFee)),
    ],
    `*${row.tier}* · ${counted(f, row.creators, "creator")} · ${counted(f, row.posts, "post")} · ${f.money(row.fee)} fee`,
  );
}

function topCard(view: TopView): Card {
  const f = formatterFor(view.workspace);
  const title = `Top ${view.rows.length} ${view.entity} by ${view.metric.label}`;
  const scope = [
    view.campaign ? `in ${escapeMrkdwn(view.campaign)}` : "",
    view.period ? `published ${f.date(view.period.from)} – ${f.date(view.period.to)}` : "",
    `as of ${f.date(view.asOf)}`,
  ].filter(Boolean);
  const rows = view.rows.map(
    (row) =>
      `${row.rank}. ${linked(row.label, row.url)} — ${emphasis(formatMetric(f, view.metric.key, row.value))} · ` +
      `${counted(f, row.posts, "post")} · ${f.count(row.clicks)} clicks · ${sustainedPart(f, row.sustainedEngagements)}`,
  );
  const withoutValue = view.withoutValue
    ? [
        context(
          `${f.count(view.withoutValue)} more ${view.entity} without enough history for ${view.metric.label} yet.`,
        ),
      ]
    : [];
  return {
    summary: title,
    blocks: [
      header(title),
      context(scope.join(" · ")),
      section(rows.length ? rows.join("\n") : `None yet: no ${view.entity} have ${view.metric.label} yet.`),
      ...withoutValue,
    ],
  };
}

function weeklyDigestCard(view: WeeklyDigestView): Card {
  const f = formatterFor(view.workspace);
  const title = `Weekly digest${view.campaign ? ` · ${view.campaign}` : ""}`;
  return {
    summary: `${title}: ${f.count(view.thisWeek.clicks)} clicks · ${f.count(view.thisWeek.sustainedEngagements)} sustained engagements this week`,
    blocks: [
      header(title),
      ...digestSummary(view),
      evergreenSection(view, f),
      valuePerFeeColumns(view, f),
      retentionTrendSection(view.retentionTrend, f),
    ],
  };
}

/** This week against the week before, then who led on clicks and on sustained engagement. */
function digestSummary(view: WeeklyDigestView): KnownBlock[] {
  const f = formatterFor(view.workspace);
  const week = (label: string, pick: (numbers: WeekNumbers) => number) => {
    const change = versus(pick(view.thisWeek), pick(view.previousWeek));
    return line(label, f.count(pick(view.thisWeek)), change ? ` (${change} vs week before)` : "");
  };
  const creators = (title: string, rows: CreatorWeekRow[], pick: (row: CreatorWeekRow) => number) => [
    title,
    ...(rows.length
      ? rows.map(
          (row, i) => `${i + 1}. @${escapeMrkdwn(row.handle)} (${row.tier}) ${emphasis(f.count(pick(row)))}`,
        )
      : ["_nobody yet_"]),
  ];
  return [
    context(
      `${f.date(view.week.from)} – ${f.date(view.week.to)} · workspace ${escapeMrkdwn(view.workspace.slug)}`,
    ),
    fields(
      [DIRECT_TITLE, week("Posts published", (w) => w.postsPublished), week("Clicks", (w) => w.clicks)],
      [
        LASTING_TITLE,
        week("Engagements", (w) => w.engagements),
        week("Sustained engagements", (w) => w.sustainedEngagements),
        "_earned by posts past their first week_",
      ],
    ),
    fields(
      creators("*Top by clicks*", view.topByClicks, (row) => row.clicks),
      creators("*Top by sustained engagement*", view.topBySustained, (row) => row.sustainedEngagements),
    ),
  ];
}

function evergreenSection(view: WeeklyDigestView, f: Formatter): SectionBlock {
  const posts = view.evergreen.map(
    (post) =>
      `• ${linked(post.label, post.url)}: week 4 brought ${emphasis(f.percent(post.week4VsWeek1))} of week 1 · ` +
      `${f.count(post.sustainedEngagements)} sustained`,
  );
  return section(["*Evergreen posts worth reusing*", ...(posts.length ? posts : ["_none yet_"])].join("\n"));
}

function valuePerFeeColumns(view: WeeklyDigestView, f: Formatter): SectionBlock {
  const per = view.workspace.currency;
  const column = (value: ValuePerFee) => [
    `*${value.tier}* (${counted(f, value.posts, "post")}, ${f.money(value.fee)} fee)`,
    line(`Clicks per ${per}`, f.ratio(value.clicksPerFee)),
    line(`Sustained engagements per ${per}`, f.ratio(value.sustainedEngagementsPerFee)),
    line(`Earned media value per ${per}`, f.ratio(value.emvPerFee)),
  ];
  const { micro, macro } = view.microVsMacro;
  return fields(
    column(micro),
    column(macro),
    "*Micro vs macro*, value per unit of fee (posts of the last 90 days)",
  );
}

function retentionTrendSection(weeks: CampaignReportView["retentionTrend"], f: Formatter): SectionBlock {
  const trend = weeks
    .map((week) => inline(f.monthDay(week.week), f.percent(week.week2Retention)))
    .join(" · ");
  return section(`*Week-2 retention by publishing week*\n${trend || `_${NOT_ENOUGH_HISTORY}_`}`);
}

function longevityAlertsCard(view: LongevityAlertsView): Card {
  const f = formatterFor(view.workspace);
  const scope = view.campaign ? ` · ${view.campaign}` : "";
  const title = view.alerts.length ? `Longevity dropped${scope}` : `Longevity check${scope}: no alert`;
  const { current, baseline } = view.check;
  return {
    summary: view.alerts.length
      ? `${title}: ${view.alerts.map((alert) => alertHeadline(alert, f)).join("; ")}`
      : title,
    blocks: [
      header(title),
      context(
        `as of ${f.date(view.asOf)} · alerts when week-2 retention is more than ${f.percent(view.rule.drop)} ` +
          `below the baseline, with at least ${counted(f, view.rule.minPosts, "post")} on each side`,
      ),
      fields(
        [
          `*Recent posts* (published ${f.date(current.from)} – ${f.date(current.to)})`,
          line(
            "Week-2 retention",
            f.percent(current.week2Retention),
            ` on ${counted(f, current.posts, "post")}`,
          ),
        ],
        [
          `*Baseline* (published ${f.date(baseline.from)} – ${f.date(baseline.to)})`,
          line(
            "Week-2 retention",
            f.percent(baseline.week2Retention),
            ` on ${counted(f, baseline.posts, "post")}`,
          ),
        ],
      ),
      ...(view.check.fired
        ? []
        : [
            section(
              `No alert${view.campaign ? "" : " for the whole workspace"}: ${escapeMrkdwn(view.check.reason)}.`,
            ),
          ]),
      ...view.alerts.map((alert) => alertSection(alert, f)),
    ],
  };
}

function alertHeadline(alert: LongevityAlert, f: Formatter): string {
  return `${alert.campaign ?? "whole workspace"}: week-2 retention down ${f.percent(alert.drop)}`;
}

/** What dropped, by how much, on how many posts, against what, and who drove it. */
function alertSection(alert: LongevityAlert, f: Formatter): SectionBlock {
  const drivers = alert.drivers.map(
    (driver) =>
      `• @${escapeMrkdwn(driver.handle)}: ${inline("week-2 retention", f.percent(driver.week2Retention))} on ${counted(f, driver.posts, "post")}, ` +
      `${emphasis(f.percent(driver.share))} of the drop`,
  );
  const text = [
    `:small_red_triangle_down: *${escapeMrkdwn(alertHeadline(alert, f))}*`,
    `${emphasis(f.percent(alert.current.week2Retention))} on ${counted(f, alert.current.posts, "recent post")} against a baseline of ` +
      `${f.percent(alert.baseline.week2Retention)} on ${counted(f, alert.baseline.posts, "post")}`,
    ...(drivers.length ? ["Driven by", ...drivers] : []),
  ].join("\n");
  return section(
    text,
    alert.campaign
      ? button("Open campaign report", OPEN_CAMPAIGN_ACTION_ID, command("campaign", alert.campaign))
      : undefined,
  );
}

/** The first alerts; the rest are counted, so the Home tab's other parts keep their room. */
function activeAlerts(view: LongevityAlertsView | null): KnownBlock[] {
  if (!view?.alerts.length) return [section("_No longevity alert right now._")];
  const f = formatterFor(view.workspace);
  const hidden = view.alerts.length - MAX_HOME_ALERTS;
  return [
    ...view.alerts.slice(0, MAX_HOME_ALERTS).map((alert) => alertSection(alert, f)),
    ...(hidden > 0 ? [context(`${moreLine(hidden)}: \`${SLASH_COMMAND} alerts\` lists them all.`)] : []),
  ];
}

/** "Did you mean" with a button per suggestion; each in its own block so the action ids stay unique. */
function notFoundCard(view: NotFoundView): Card {
  const what = view.entity === "creator" ? `@${view.query}` : `the ${view.entity} “${view.query}”`;
  const hint = view.suggestions.length ? ` Did you mean ${view.suggestions.join(", ")}?` : "";
  const sentence = `I don't know ${what}.${hint}`;
  const { entity } = view;
  const buttons =
    entity === "workspace"
      ? []
      : view.suggestions.map((suggestion) =>
          actions(button(suggestion, SUGGESTION_ACTION_ID, command(entity, suggestion))),
        );
  return { summary: sentence, blocks: [section(escapeMrkdwn(sentence)), ...buttons] };
}

function helpCard(view: HelpView): Card {
  const intro = view.notUnderstood
    ? `I didn't understand “${escapeMrkdwn(view.notUnderstood.text)}”: ${escapeMrkdwn(view.notUnderstood.reason)}`
    : "Longtail puts what is easy to count (clicks, codes, sales) next to what lasts (engagement that keeps coming). " +
      `Type \`${SLASH_COMMAND}\` followed by any example below.`;
  const glossary = view.glossary.map(
    (entry) => `*${escapeMrkdwn(entry.term)}* — ${escapeMrkdwn(entry.meaning)}`,
  );
  return {
    summary: view.notUnderstood ? `I didn't understand “${view.notUnderstood.text}”` : "How to ask Longtail",
    blocks: [
      header("How to ask Longtail"),
      section(intro),
      ...view.sections.map((topic) =>
        section(
          [
            `*${escapeMrkdwn(topic.title)}* — ${escapeMrkdwn(topic.summary)}`,
            ...topic.examples.map((example) => `\`${example}\``),
            ...(topic.typedIn === "cli" ? ["_typed in a terminal, not in Slack_"] : []),
          ].join("\n"),
        ),
      ),
      ...(glossary.length ? [section(["*What the lasting numbers mean*", ...glossary].join("\n"))] : []),
    ],
  };
}

const TONE_EMOJI: Record<MessageView["tone"], string> = {
  success: ":white_check_mark:",
  info: ":information_source:",
  error: ":warning:",
};

function messageCard(view: MessageView): Card {
  return {
    summary: view.title,
    blocks: [
      section(
        [`${TONE_EMOJI[view.tone]} *${escapeMrkdwn(view.title)}*`, ...view.lines.map(escapeMrkdwn)].join(
          "\n",
        ),
      ),
    ],
  };
}

function subscriptionLines(subscriptions: SlackHome["subscriptions"]): string {
  if (subscriptions.length === 0) {
    return `_No channel subscribes yet._ In a channel, type \`${SLASH_COMMAND} subscribe weekly mon 09:00\`.`;
  }
  return subscriptions
    .map(
      (subscription) =>
        `• ${channelMention(subscription.channel)} — ${escapeMrkdwn(subscription.schedule)}` +
        (subscription.campaign ? ` · campaign ${escapeMrkdwn(subscription.campaign)}` : ""),
    )
    .join("\n");
}

function howToAsk(): string {
  const examples = HELP_SECTIONS.filter((topic) => topic.typedIn === "chat").map(
    (topic) => `\`${SLASH_COMMAND} ${topic.examples[0]}\` — ${escapeMrkdwn(topic.title.toLowerCase())}`,
  );
  return [...examples, `\`${SLASH_COMMAND} help\` — everything else`].join("\n");
}

/** The direct numbers and the lasting ones side by side, in two columns. */
function directVsLasting(a: Aggregate, f: Formatter): SectionBlock {
  const { direct: d, sustained: s, basis } = a;
  return fields(
    [
      DIRECT_TITLE,
      line("Clicks", f.count(d.clicks)),
      line("CTR", f.percent(d.ctr)),
      line("CPC", f.money(d.cpc)),
      line("Code redemptions", f.count(d.redemptions)),
      line("Conversions", f.count(d.conversions)),
      line("Revenue", f.money(d.revenue)),
      line("ROAS", f.ratio(d.roas)),
      line("Clicks in the first 3 days", f.percent(d.clickFrontLoading)),
      line("Fee", f.money(d.fee)),
    ],
    [
      LASTING_TITLE,
      line("Engagements", f.count(s.engagements)),
      line("Sustained engagements", f.count(s.sustainedEngagements), basisNote(basis.sustained, a.posts)),
      line("Week-2 retention", f.percent(s.week2Retention), basisNote(basis.week2Retention, a.posts)),
      line("Longevity", f.percent(s.longevity), basisNote(basis.longevity, a.posts)),
      line("Half-life (median)", f.days(s.halfLifeDays)),
      line("Evergreen posts", f.count(s.evergreenPosts)),
      line("Engagement rate", f.percent(s.engagementRateByFollowers)),
      line("Save-and-share rate", f.percent(s.saveShareRate)),
      line("CPE", f.money(s.cpe)),
      line("Cost per sustained engagement", f.money(s.costPerSustainedEngagement)),
      line("Earned media value", f.money(s.emv)),
    ],
  );
}

function againstTierMedian(view: CreatorProfileView, f: Formatter): SectionBlock {
  const { tierMedians: m, sustained: s } = view;
  return section(
    [
      `*Against the median ${m.tier} creator* (${counted(f, m.creators, "creator")})`,
      versusMedian("Week-2 retention", s.week2Retention, m.week2Retention, f.percent),
      versusMedian("Longevity", s.longevity, m.longevity, f.percent),
      versusMedian("Half-life", s.halfLifeDays, m.halfLifeDays, f.days),
      versusMedian("Engagement rate", s.engagementRateByFollowers, m.engagementRateByFollowers, f.percent),
      versusMedian(
        "Cost per sustained engagement",
        s.costPerSustainedEngagement,
        m.costPerSustainedEngagement,
        f.money,
      ),
      versusMedian("CPE", s.cpe, m.cpe, f.money),
      versusMedian("CTR", view.direct.ctr, m.ctr, f.percent),
    ].join("\n"),
  );
}

/** "Week-2 retention *31%* · tier median 22% ▲". */
function versusMedian(
  label: string,
  value: number | null,
  median: number | null,
  format: (value: number | null) => string,
): string {
  if (median === null) return `${label} ${emphasis(format(value))} · no tier median yet`;
  const change = versus(value, median);
  const arrow = change === "=" ? " =" : change.startsWith("+") ? " ▲" : change ? " ▼" : "";
  return `${label} ${emphasis(format(value))} · tier median ${format(median)}${arrow}`;
}

function tierLine(row: TierRow, f: Formatter): string {
  return (
    `• *${row.tier}* — ${counted(f, row.creators, "creator")} · ${counted(f, row.posts, "post")}: ` +
    `${f.count(row.clicks)} clicks · ${sustainedPart(f, row.sustainedEngagements)} · ` +
    `${inline("week-2 retention", f.percent(row.week2Retention))} · ${inline("cost per sustained engagement", f.money(row.costPerSustainedEngagement))}`
  );
}

/** "1 post", "12,400 posts". */
function counted(f: Formatter, value: number, noun: string): string {
  return `${f.count(value)} ${noun}${value === 1 ? "" : "s"}`;
}

/** "7,400 sustained", or that there is no such number yet. */
function sustainedPart(f: Formatter, value: number | null, noun = "sustained"): string {
  return value === null ? `${noun}: ${NOT_ENOUGH_HISTORY}` : `${f.count(value)} ${noun}`;
}

function basisNote(posts: number, of: number): string {
  return posts > 0 && posts < of ? ` _(${posts} of ${of} posts)_` : "";
}

/** "Label: *value*", or the value in italics when there is no number yet. */
function line(label: string, value: string, note = ""): string {
  return `${label}: ${emphasis(value)}${note}`;
}

/** "week-2 retention 25%", or "week-2 retention: _not enough history yet_". */
function inline(label: string, value: string): string {
  return value === NOT_ENOUGH_HISTORY ? `${label}: _${value}_` : `${label} ${value}`;
}

function emphasis(value: string): string {
  return value === NOT_ENOUGH_HISTORY ? `_${value}_` : `*${value}*`;
}

function inlineList(items: readonly string[]): string {
  const shown = items.slice(0, MAX_INLINE_ITEMS).join(", ");
  return items.length > MAX_INLINE_ITEMS ? `${shown} ${moreLine(items.length - MAX_INLINE_ITEMS)}` : shown;
}

/** The command a button runs: `campaign "spring launch"` needs its quotes. */
function command(entity: "creator" | "campaign", name: string): string {
  return `${entity} ${/\s/.test(name) ? `"${name}"` : name}`;
}

function linked(label: string, url: string | null): string {
  return url ? `<${url.replace(/[|<>]/g, encodeURIComponent)}|${escapeMrkdwn(label)}>` : escapeMrkdwn(label);
}

/** A channel id (C…, G…) as a mention Slack turns into the channel's name. */
function channelMention(channel: string): string {
  return /^[CG][A-Z0-9]{6,}$/.test(channel) ? `<#${channel}>` : `#${escapeMrkdwn(channel.replace(/^#/, ""))}`;
}

/** Slack's mrkdwn control characters in text that comes from people. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function header(text: string): HeaderBlock {
  return { type: "header", text: { type: "plain_text", text, emoji: true } };
}

function section(text: string, accessory?: Button): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text }, ...(accessory && { accessory }) };
}

/** Two columns of lines, under an optional text spanning both. */
function fields(left: string[], right: string[], text?: string): SectionBlock {
  return {
    type: "section",
    ...(text && { text: { type: "mrkdwn", text } }),
    fields: [
      { type: "mrkdwn", text: left.join("\n") },
      { type: "mrkdwn", text: right.join("\n") },
    ],
  };
}

function context(text: string): ContextBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}

function button(text: string, actionId: string, value?: string): Button {
  return {
    type: "button",
    text: { type: "plain_text", text, emoji: true },
    action_id: actionId,
    ...(value && { value }),
  };
}

function actions(...buttons: Button[]): ActionsBlock {
  return { type: "actions", elements: buttons };
}
