import type { InsightContext } from "../insights/context.ts";
import type { MessageView, NotFoundView } from "../insights/viewModels.ts";
import { handleScheduleIntent, type ScheduleIntent } from "../schedule/commands.ts";
import { listSubscriptions } from "../store/schedule.ts";

export type { ScheduleIntent };

/** The Slack conversation a subscription or alert setting is about, and who asked. */
export interface SlackChannelRef {
  platform: "slack";
  channelId: string;
  userId?: string;
  userTimezone?: string;
}

/** The one place the Slack app hands subscriptions and alert settings to the scheduler. */
export function scheduleAnswer(
  ctx: InsightContext,
  intent: ScheduleIntent,
  channel: SlackChannelRef,
  now: Date,
): Promise<MessageView | NotFoundView> {
  return handleScheduleIntent(ctx, intent, channel, now);
}

export interface HomeSubscription {
  /** A Slack channel id: the Home tab shows it as a channel mention. */
  channel: string;
  schedule: string;
  campaign: string | null;
}

/** The workspace's Slack digest subscriptions for the Home tab, and the stopped ones as problems. */
export async function homeSubscriptions(
  ctx: InsightContext,
): Promise<{ active: HomeSubscription[]; stopped: string[] }> {
  const listing = await listSubscriptions(ctx.prisma, ctx.workspace.id);
  const active: HomeSubscription[] = [];
  const stopped: string[] = [];
  for (const subscription of listing) {
    const channel = /^<#([A-Z0-9]+)>$/.exec(subscription.channelLabel)?.[1];
    if (!channel) continue;
    const schedule = `${subscription.scheduleLabel} (${subscription.timezone})`;
    if (subscription.active) active.push({ channel, schedule, campaign: subscription.campaignName });
    else stopped.push(`The digest to <#${channel}> stopped: ${subscription.disabledReason ?? "disabled"}.`);
  }
  return { active, stopped };
}
