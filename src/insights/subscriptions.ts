import {
  type AlertRuleListing,
  listAlertRules,
  listSubscriptions,
  type SubscriptionListing,
} from "../store/subscriptions.ts";
import { type InsightContext, workspaceInfo } from "./context.ts";
import type { AlertRuleRow, ChannelRef, SubscriptionRow, SubscriptionsView } from "./viewModels.ts";

/** Every digest subscription and alert rule of the workspace, with where each goes as data. */
export async function subscriptionsView(ctx: InsightContext, now: Date): Promise<SubscriptionsView> {
  const [subscriptions, rules] = await Promise.all([
    listSubscriptions(ctx.prisma, ctx.workspace.id),
    listAlertRules(ctx.prisma, ctx.workspace.id),
  ]);
  return {
    kind: "subscriptions",
    workspace: workspaceInfo(ctx.workspace),
    asOf: now.toISOString(),
    subscriptions: subscriptions.map(subscriptionRow),
    alertRules: rules.map(alertRuleRow),
  };
}

/** The workspace's digest subscriptions on one platform, for its home screen. */
export async function subscriptionRowsOn(
  ctx: InsightContext,
  platform: ChannelRef["platform"],
): Promise<SubscriptionRow[]> {
  const listing = await listSubscriptions(ctx.prisma, ctx.workspace.id);
  return listing.filter((subscription) => subscription.platform === platform).map(subscriptionRow);
}

function subscriptionRow(s: SubscriptionListing): SubscriptionRow {
  return {
    channel: channelRef(s.platform, s.channelId),
    schedule: s.scheduleLabel,
    timezone: s.timezone,
    campaign: s.campaignName,
    nextRunAt: s.active ? s.nextRunAt.toISOString() : null,
    stopped: s.active ? null : (s.disabledReason ?? "disabled"),
  };
}

function alertRuleRow(r: AlertRuleListing): AlertRuleRow {
  return {
    channel: channelRef(r.platform, r.channelId),
    rule: r.kind,
    threshold: r.threshold,
    campaign: r.campaignName,
    stopped: r.active ? null : (r.disabledReason ?? "disabled"),
  };
}

function channelRef(platform: string, id: string): ChannelRef {
  return { platform: platform === "teams" ? "teams" : "slack", id };
}
