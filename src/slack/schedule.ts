import type { InsightContext } from "../insights/context.ts";
import { subscriptionsOn } from "../schedule/commands.ts";

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
  const active: HomeSubscription[] = [];
  const stopped: string[] = [];
  for (const subscription of await subscriptionsOn(ctx, "slack")) {
    const channel = subscription.channelId;
    const schedule = `${subscription.scheduleLabel} (${subscription.timezone})`;
    if (subscription.active) active.push({ channel, schedule, campaign: subscription.campaignName });
    else stopped.push(`The digest to <#${channel}> stopped: ${subscription.disabledReason ?? "disabled"}.`);
  }
  return { active, stopped };
}
