import { chatWords, type Suggestion } from "../commands/suggestion.ts";
import type { ViewModel } from "../insights/viewModels.ts";
import { type ChartConfig, chartUrl, type ViewChart } from "./charts.ts";
import {
  type Action,
  type Cell,
  type Icon,
  type Layout,
  type Line,
  layoutView,
  type Row,
  type Section,
  type Span,
} from "./layout.ts";

/**
 * Adaptive Cards (schema 1.5) for Microsoft Teams, walking the one card layout (layout.ts): the
 * same content as the Slack card. Charts are HTTPS image links (QuickChart) or, for workspaces
 * that keep charts private, Teams' native Chart.* elements drawn from the same data — never a
 * data: URI. Cards stay under 80 KB of JSON (Teams refuses a message over about 100 KB).
 */

export type CardElement = { type: string } & Record<string, unknown>;

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: CardElement[];
  actions?: CardElement[];
  msteams: { width: "Full" };
}

/** A rendered answer: the card and the one-line summary Teams shows in notifications. */
export interface TeamsMessage {
  summary: string;
  card: AdaptiveCard;
}

export interface TeamsRenderOptions {
  chart?: { kind: "url"; host?: string } | { kind: "native" } | { kind: "none" };
  /** Adds "Share in channel", which asks this question again as a new post in the channel. */
  share?: string;
}

/** Charts as QuickChart links, or Teams' native chart elements for a workspace that keeps them private. */
export function teamsChartOption(
  privateCharts: boolean,
  host?: string,
): NonNullable<TeamsRenderOptions["chart"]> {
  return privateCharts ? { kind: "native" } : { kind: "url", host };
}

/** What a card's buttons send back to the bot (Action.Submit data: `{ longtail, question }`). */
export const CARD_ACTION = { ask: "ask", share: "share" } as const;

export const ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
/** Teams refuses larger messages with 413 MessageSizeTooBig at about 100 KB; this leaves room. */
export const MAX_CARD_BYTES = 80 * 1024;

/** Charts' ids are "chart-1", "chart-2"…: the first thing a too-large card loses. */
const CHART_ID = /^chart-\d+$/;
/** The closing "…and N more" line's id carries N, for the next shrinking step. */
const MORE_ID = /^more-(\d+)$/;

const ICONS: Record<Icon, string> = { success: "✅", info: "ℹ️", warning: "⚠️", drop: "🔻" };
const TRENDS = { up: " ▲", down: " ▼", same: " =" } as const;

/** A view model as an Adaptive Card, within Teams' size limit. */
export function renderTeams(view: ViewModel, options: TeamsRenderOptions = {}): TeamsMessage {
  const layout = layoutView(view);
  if (view.kind !== "help") return renderTeamsLayout(layout, options);
  // How to ask, the Teams way: under the help's title.
  const [heading, ...rest] = layout.sections;
  const sections = heading ? [heading, MENTION_HINT, ...rest] : rest;
  return renderTeamsLayout({ ...layout, sections }, options);
}

const MENTION_HINT: Section = {
  kind: "context",
  line: ["In a personal chat, just type. In a group chat or a channel, @mention Longtail first."],
};

export function renderTeamsLayout(layout: Layout, options: TeamsRenderOptions = {}): TeamsMessage {
  const chart = options.chart ?? { kind: "url" };
  const body = numberCharts(layout.sections.flatMap((section) => sectionElements(section, chart)));
  const actions = options.share
    ? [submit("Share in channel", { longtail: CARD_ACTION.share, question: options.share })]
    : [];
  const card: AdaptiveCard = {
    type: "AdaptiveCard",
    $schema: ADAPTIVE_CARD_SCHEMA,
    version: "1.5",
    body,
    ...(actions.length ? { actions } : {}),
    msteams: { width: "Full" },
  };
  return fitTeamsLimits({ summary: layout.summary, card });
}

/** The message as it is, or made smaller (see shrinkTeamsMessage) until it fits MAX_CARD_BYTES. */
export function fitTeamsLimits(message: TeamsMessage, maxBytes = MAX_CARD_BYTES): TeamsMessage {
  let fitted = message;
  while (cardBytes(fitted.card) > maxBytes) {
    const smaller = shrinkTeamsMessage(fitted);
    if (!smaller) return fitted;
    fitted = smaller;
  }
  return fitted;
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card));
}

/**
 * One step smaller, for a card Teams refused as too large (413): without its charts first, then
 * without its last section, counted in a closing "…and N more". Null when only the title is left.
 */
export function shrinkTeamsMessage(message: TeamsMessage): TeamsMessage | null {
  const { body } = message.card;
  const withoutCharts = body.filter((element) => !CHART_ID.test(String(element.id)));
  if (withoutCharts.length < body.length) return withBody(message, withoutCharts);
  const more = body.find((element) => MORE_ID.test(String(element.id)));
  const content = body.filter((element) => element !== more);
  if (content.length <= 1) return null;
  const hidden = Number(MORE_ID.exec(String(more?.id))?.[1] ?? 0) + 1;
  return withBody(message, [...content.slice(0, -1), moreElement(hidden)]);
}

const CHART_TYPES = new Set(["Image", "Chart.Line", "Chart.VerticalBar", "Chart.VerticalBar.Grouped"]);

/** Top-level images and charts are the view's charts: each gets its own id, in order. */
function numberCharts(body: CardElement[]): CardElement[] {
  let n = 0;
  return body.map((element) =>
    CHART_TYPES.has(element.type) ? { ...element, id: `chart-${++n}` } : element,
  );
}

function withBody(message: TeamsMessage, body: CardElement[]): TeamsMessage {
  return { ...message, card: { ...message.card, body } };
}

function moreElement(hidden: number): CardElement {
  return { ...textBlock(`…and ${hidden} more`, { isSubtle: true }), id: `more-${hidden}` };
}

function sectionElements(section: Section, chart: NonNullable<TeamsRenderOptions["chart"]>): CardElement[] {
  switch (section.kind) {
    case "title":
      return [textBlock(escapeMarkdown(section.text), { size: "Large", weight: "Bolder" })];
    case "context":
      return [textBlock(markdown(section.line), { isSubtle: true, size: "Small" })];
    case "text":
      return [linesContainer(section.lines), ...(section.action ? [actionSet([section.action])] : [])];
    case "rows":
      return [{ type: "Container", items: [textBlock(markdown(section.heading)), factSet(section.rows)] }];
    case "columns":
      return [columns(section)];
    case "actions":
      return [actionSet(section.actions)];
    case "chart":
      return chartElements(section.chart, chart);
  }
}

function linesContainer(lines: Line[]): CardElement {
  return {
    type: "Container",
    items: lines.map((line, i) => textBlock(markdown(line), i === 0 ? {} : { spacing: "None" })),
  };
}

/** Two columns side by side (direct vs lasting), each a fact list with its free lines. */
function columns(section: Extract<Section, { kind: "columns" }>): CardElement {
  const set: CardElement = {
    type: "ColumnSet",
    columns: section.columns.map((cells) => ({
      type: "Column",
      width: "stretch",
      items: cellElements(cells),
    })),
  };
  if (!section.heading) return set;
  return { type: "Container", items: [textBlock(markdown(section.heading)), set] };
}

/** Consecutive rows become one FactSet; free lines are text between them. */
function cellElements(cells: Cell[]): CardElement[] {
  const elements: CardElement[] = [];
  let rows: Row[] = [];
  const flush = () => {
    if (rows.length) elements.push(factSet(rows));
    rows = [];
  };
  for (const cell of cells) {
    if (Array.isArray(cell)) {
      flush();
      elements.push(textBlock(markdown(cell)));
    } else rows.push(cell);
  }
  flush();
  return elements;
}

function factSet(rows: Row[]): CardElement {
  return {
    type: "FactSet",
    facts: rows.map((row) => ({ title: escapeMarkdown(row.label), value: rowValue(row) })),
  };
}

/** "**31%** (4 of 5 posts) · tier median 22% ▲", or the value in italics when there is none yet. */
export function rowValue(row: Row): string {
  const parts = [row.known ? `**${escapeMarkdown(row.value)}**` : `_${escapeMarkdown(row.value)}_`];
  if (row.basis) parts.push(` _(${row.basis.posts} of ${row.basis.of} posts)_`);
  if (row.change) parts.push(` (${escapeMarkdown(row.change)} vs week before)`);
  if (row.versusMedian) {
    const { median, trend } = row.versusMedian;
    parts.push(
      median === null
        ? " · no tier median yet"
        : ` · tier median ${escapeMarkdown(median)}${trend ? TRENDS[trend] : ""}`,
    );
  }
  return parts.join("");
}

function actionSet(actions: Action[]): CardElement {
  return {
    type: "ActionSet",
    actions: actions.map((action) =>
      submit(action.label, { longtail: CARD_ACTION.ask, question: chatWords(action.ask) }),
    ),
  };
}

function submit(title: string, data: { longtail: string; question: string }): CardElement {
  return { type: "Action.Submit", title, data };
}

function chartElements(chart: ViewChart, mode: NonNullable<TeamsRenderOptions["chart"]>): CardElement[] {
  if (mode.kind === "none") return [];
  if (mode.kind === "url") {
    return [
      {
        type: "Image",
        url: chartUrl(chart.config, { host: mode.host }),
        altText: chart.altText,
        size: "Stretch",
      },
    ];
  }
  return [nativeChart(chart.config)];
}

/**
 * Teams' own chart elements from a Chart.js config: a line chart per series (Chart.Line), bars
 * (Chart.VerticalBar, or .Grouped for several series). Missing values are left out.
 */
export function nativeChart(config: ChartConfig): CardElement {
  const labels = (config.data.labels ?? []).map((label) => String(label));
  const series = config.data.datasets.map((dataset) => ({
    legend: dataset.label ?? "",
    values: dataset.data.flatMap((y, i) => (y === null ? [] : [{ x: labels[i] ?? String(i), y }])),
  }));
  const title = chartTitle(config);
  if (config.type === "line") return { type: "Chart.Line", title, data: series };
  const [only] = series;
  if (series.length === 1 && only) return { type: "Chart.VerticalBar", title, data: only.values };
  return { type: "Chart.VerticalBar.Grouped", title, data: series };
}

function chartTitle(config: ChartConfig): string {
  const text = config.options?.plugins?.title?.text;
  return Array.isArray(text) ? text.join(" ") : (text ?? "");
}

function textBlock(text: string, style: Record<string, unknown> = {}): CardElement {
  return { type: "TextBlock", text, wrap: true, ...style };
}

/** A line of spans as the Markdown subset Teams renders in a TextBlock. */
export function markdown(line: Line): string {
  return line.map(spanMarkdown).join("");
}

function spanMarkdown(span: Span): string {
  if (typeof span === "string") return escapeMarkdown(span);
  if ("strong" in span) return `**${escapeMarkdown(span.strong)}**`;
  if ("note" in span) return `_${escapeMarkdown(span.note)}_`;
  if ("link" in span)
    return span.url ? `[${escapeMarkdown(span.link)}](${linkTarget(span.url)})` : escapeMarkdown(span.link);
  if ("channel" in span) return escapeMarkdown(channelName(span.channel));
  if ("ask" in span) return askWords(span.ask);
  if ("code" in span) return `**${escapeMarkdown(span.code)}**`;
  return ICONS[span.icon];
}

/** How to ask it in Teams: the words, which in a channel follow an @mention of the bot. */
function askWords(suggestion: Suggestion): string {
  return `**${escapeMarkdown(chatWords(suggestion))}**`;
}

function channelName(channel: { platform: "slack" | "teams"; id: string }): string {
  if (channel.platform === "slack") return `Slack channel #${channel.id}`;
  return /@thread\.(tacv2|skype)$/.test(channel.id) ? "a Teams channel" : "a Teams chat";
}

/** A URL inside Markdown link parentheses. */
function linkTarget(url: string): string {
  return url.replace(/[()\s]/g, encodeURIComponent);
}

/** People's words shown as themselves, not as Markdown. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]#])/g, "\\$1");
}
