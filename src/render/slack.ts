import type {
  ActionsBlock,
  Button,
  ContextBlock,
  HeaderBlock,
  ImageBlock,
  KnownBlock,
  SectionBlock,
} from "@slack/types";
import { chatWords, type Suggestion } from "../commands/suggestion.ts";
import type { ChannelRef, HomeView, ViewModel } from "../insights/viewModels.ts";
import { chartUrl } from "./charts.ts";
import {
  type Action,
  type Cell,
  type Icon,
  type Layout,
  type Line,
  layoutHome,
  layoutView,
  type Row,
  type Section,
  type Span,
} from "./layout.ts";
import { fitSlackLimits, HOME_TAB_LIMITS } from "./slackLimits.ts";

/** Block Kit: a walker over the layout (layout.ts), phrasing spans in Slack's mrkdwn. */

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

/** The slash commands (manifests/slack/manifest.yml): creators and campaigns have their own. */
const SLASH_COMMAND = "/longtail";
const OWN_COMMANDS = ["creator", "campaign"] as const;

const ICONS: Record<Icon, string> = {
  success: ":white_check_mark:",
  info: ":information_source:",
  warning: ":warning:",
  drop: ":small_red_triangle_down:",
};

const ACTION_IDS: Record<Action["purpose"], string> = {
  suggestion: SUGGESTION_ACTION_ID,
  openCampaign: OPEN_CAMPAIGN_ACTION_ID,
};

/** A view model as a Block Kit message, within Slack's limits. */
export function renderSlack(view: ViewModel, options: SlackRenderOptions = {}): SlackMessage {
  const layout = layoutView(view);
  const blocks = [...layoutBlocks(layout, options), ...shareBlocks(options)];
  return fitSlackLimits({ text: escapeMrkdwn(layout.summary), blocks });
}

/** The blocks of the App Home tab: this week, alerts, subscriptions, problems and how to ask. */
export function renderSlackHome(home: HomeView): KnownBlock[] {
  return fitSlackLimits({ blocks: layoutBlocks(layoutHome(home), {}) }, HOME_TAB_LIMITS).blocks;
}

/** How Slack phrases a suggestion: `/creator @anna`, `/longtail top 5 creators by longevity`. */
export function slackCommand(suggestion: Suggestion): string {
  const words = chatWords(suggestion);
  const [first = "", ...rest] = words.split(" ");
  const own = OWN_COMMANDS.find((command) => command === first);
  return own && rest.length ? `/${own} ${rest.join(" ")}` : `${SLASH_COMMAND} ${words}`;
}

function layoutBlocks(layout: Layout, options: SlackRenderOptions): KnownBlock[] {
  return layout.sections.flatMap((section) => sectionBlocks(section, options));
}

function sectionBlocks(section: Section, options: SlackRenderOptions): KnownBlock[] {
  switch (section.kind) {
    case "title":
      return [header(section.text)];
    case "context":
      return [context(mrkdwn(section.line))];
    case "text":
      return [textSection(section.lines.map(mrkdwn).join("\n"), section.action && button(section.action))];
    case "rows":
      return [textSection([mrkdwn(section.heading), ...section.rows.map(rowText)].join("\n"))];
    case "columns":
      return [fields(section.columns, section.heading)];
    case "actions":
      // One block per button, so each action id stays unique within its block.
      return section.actions.map((action) => actions(button(action)));
    case "chart":
      return chartBlocks(section, options);
  }
}

function chartBlocks(
  section: Extract<Section, { kind: "chart" }>,
  options: SlackRenderOptions,
): ImageBlock[] {
  const chart = options.chart;
  if (chart?.kind !== "url") return [];
  return [
    {
      type: "image",
      image_url: chartUrl(section.chart.config, { host: chart.host }),
      alt_text: section.chart.altText,
    },
  ];
}

function shareBlocks(options: SlackRenderOptions): ActionsBlock[] {
  return options.shareButton
    ? [actions(plainButton("Share in channel", SHARE_ACTION_ID, options.shareValue))]
    : [];
}

function mrkdwn(line: Line): string {
  return line.map(spanText).join("");
}

function spanText(span: Span): string {
  if (typeof span === "string") return escapeMrkdwn(span);
  if ("strong" in span) return `*${escapeMrkdwn(span.strong)}*`;
  if ("note" in span) return `_${escapeMrkdwn(span.note)}_`;
  if ("link" in span) return linked(span.link, span.url);
  if ("channel" in span) return channelMention(span.channel);
  if ("ask" in span) return `\`${escapeMrkdwn(slackCommand(span.ask))}\``;
  if ("code" in span) return `\`${escapeMrkdwn(span.code)}\``;
  return ICONS[span.icon];
}

/** "Clicks: *4,321*", "Week-2 retention: *25%* _(15 of 18 posts)_", "CTR *2%* · tier median 3% ▼". */
function rowText(row: Row): string {
  const value = row.known ? `*${escapeMrkdwn(row.value)}*` : `_${escapeMrkdwn(row.value)}_`;
  const label = escapeMrkdwn(row.label);
  if (row.versusMedian) {
    const { median, trend } = row.versusMedian;
    if (median === null) return `${label} ${value} · no tier median yet`;
    return `${label} ${value} · tier median ${escapeMrkdwn(median)}${trend ? ` ${TREND[trend]}` : ""}`;
  }
  const basis = row.basis ? ` _(${row.basis.posts} of ${row.basis.of} posts)_` : "";
  const change = row.change ? ` (${row.change} vs week before)` : "";
  return `${label}: ${value}${basis}${change}`;
}

const TREND = { up: "▲", down: "▼", same: "=" } as const;

function cellText(cell: Cell): string {
  return Array.isArray(cell) ? mrkdwn(cell) : rowText(cell);
}

function linked(label: string, url: string | null): string {
  return url ? `<${url.replace(/[|<>]/g, encodeURIComponent)}|${escapeMrkdwn(label)}>` : escapeMrkdwn(label);
}

/** A Slack channel as a mention Slack shows as the channel's name; another platform's by name. */
function channelMention(channel: ChannelRef): string {
  return channel.platform === "slack" ? `<#${channel.id}>` : "a Teams conversation";
}

/** Slack's mrkdwn control characters in text that comes from people. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function header(text: string): HeaderBlock {
  return { type: "header", text: { type: "plain_text", text, emoji: true } };
}

function textSection(text: string, accessory?: Button): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text }, ...(accessory && { accessory }) };
}

/** Two columns of cells, under an optional line spanning both. */
function fields(columns: [Cell[], Cell[]], heading?: Line): SectionBlock {
  return {
    type: "section",
    ...(heading && { text: { type: "mrkdwn", text: mrkdwn(heading) } }),
    fields: columns.map((cells) => ({ type: "mrkdwn" as const, text: cells.map(cellText).join("\n") })),
  };
}

function context(text: string): ContextBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}

/** A button that asks its suggestion: the value is the chat-language question. */
function button(action: Action): Button {
  return plainButton(action.label, ACTION_IDS[action.purpose], chatWords(action.ask));
}

function plainButton(text: string, actionId: string, value?: string): Button {
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
