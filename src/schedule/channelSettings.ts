import { describeAlertRule } from "../commands/alertRules.ts";
import type { Intent } from "../commands/intent.ts";
import { campaignNotFound } from "../insights/campaignReport.ts";
import type { InsightContext } from "../insights/context.ts";
import { subscriptionsView } from "../insights/subscriptions.ts";
import type { MessageView, NotFoundView, SubscriptionsView } from "../insights/viewModels.ts";
import { formatterFor } from "../render/format.ts";
import { findCampaign } from "../store/catalog.ts";
import {
  type ChannelKey,
  removeSubscription,
  upsertAlertRule,
  upsertSubscription,
} from "../store/subscriptions.ts";
import { cronProblem, nextRunAfter, scheduleToCron, timezoneProblem } from "./timing.ts";

export type ScheduleIntent = Extract<
  Intent,
  { kind: "subscribe" | "unsubscribe" | "subscriptions" | "alertSettings" }
>;

/** Where a digest or alert goes, who asked for it, and their IANA time zone when the platform tells it. */
export interface ChannelRef extends ChannelKey {
  userTimezone?: string;
}

export function isScheduleIntent(intent: Intent): intent is ScheduleIntent {
  return ["subscribe", "unsubscribe", "subscriptions", "alertSettings"].includes(intent.kind);
}

/** A short answer: what was done, or what went wrong and how to fix it. */
export function message(
  tone: MessageView["tone"],
  title: string,
  lines: string[] = [],
  next: MessageView["next"] = [],
): MessageView {
  return { kind: "message", tone, title, lines, ...(next.length ? { next } : {}) };
}

/** Subscriptions and alert rules, managed from the channel they deliver to. */
export async function handleScheduleIntent(
  ctx: InsightContext,
  intent: ScheduleIntent,
  channel: ChannelRef,
  now: Date,
): Promise<MessageView | NotFoundView | SubscriptionsView> {
  const campaign =
    "campaign" in intent && intent.campaign
      ? await findCampaign(ctx.prisma, ctx.workspace.id, intent.campaign)
      : null;
  if ("campaign" in intent && intent.campaign && !campaign)
    return campaignNotFound(ctx, intent.campaign, now);
  switch (intent.kind) {
    case "subscribe":
      return subscribe(ctx, intent, channel, campaign, now);
    case "unsubscribe": {
      const removed = await removeSubscription(ctx.prisma, ctx.workspace.id, channel, campaign?.id ?? null);
      return removed
        ? message(
            "success",
            `Unsubscribed: no more ${campaign ? `${campaign.name} ` : ""}digests in this channel.`,
          )
        : message(
            "info",
            `This channel has no ${campaign ? `${campaign.name} ` : ""}digest subscription.`,
            [],
            [{ lead: "See them all with", ask: { kind: "subscriptions" } }],
          );
    }
    case "subscriptions":
      return subscriptionsView(ctx, now);
    case "alertSettings":
      return setAlertRule(ctx, intent, channel, campaign);
  }
}

async function setAlertRule(
  ctx: InsightContext,
  intent: Extract<ScheduleIntent, { kind: "alertSettings" }>,
  channel: ChannelRef,
  campaign: { id: number; name: string } | null,
): Promise<MessageView> {
  const percent = intent.percent ?? DEFAULT_PERCENT[intent.rule];
  const threshold = percent / 100;
  await upsertAlertRule(ctx.prisma, ctx.workspace.id, channel, {
    kind: intent.rule,
    campaignId: campaign?.id ?? null,
    threshold,
  });
  const scope = campaign ? ` in ${campaign.name}` : "";
  return message(
    "success",
    `Alerting this channel when ${describeAlertRule(intent.rule, threshold)}${scope}.`,
    [ALERT_EXPLANATION[intent.rule]],
  );
}

const DEFAULT_PERCENT = { longevityDrop: 25, evergreen: 25, creatorRetention: 50 } as const;

const ALERT_EXPLANATION = {
  longevityDrop:
    "Checked every hour and after each import: posts 14–21 days old against those 21–77 days old, at least 3 posts on each side, at most one alert a week.",
  evergreen:
    "Each post is announced once, the week it turns 28 days old, if week 4 still brought a quarter of week 1.",
  creatorRetention:
    "Each creator's posts 14–21 days old against their own posts 21–77 days old (at least 3), at most one alert a week per creator.",
} as const;

async function subscribe(
  ctx: InsightContext,
  intent: Extract<ScheduleIntent, { kind: "subscribe" }>,
  channel: ChannelRef,
  campaign: { id: number; name: string } | null,
  now: Date,
): Promise<MessageView> {
  const { cron, label } = scheduleToCron(intent.schedule);
  const timezone = channel.userTimezone ?? ctx.workspace.timezone;
  const problem = cronProblem(cron) ?? timezoneProblem(timezone);
  if (problem) return message("error", "I could not subscribe this channel.", [problem]);
  const nextRunAt = nextRunAfter(cron, timezone, now);
  await upsertSubscription(ctx.prisma, ctx.workspace.id, channel, {
    cron,
    scheduleLabel: label,
    timezone,
    campaignId: campaign?.id ?? null,
    nextRunAt,
  });
  const f = formatterFor({ ...ctx.workspace, timezone });
  return message(
    "success",
    `Subscribed: the ${campaign ? `${campaign.name} ` : ""}digest comes to this channel ${label} (${timezone}).`,
    [`First one: ${f.dateTime(nextRunAt.toISOString())}.`],
    [{ lead: "Stop it with", ask: { kind: "unsubscribe" } }],
  );
}
