import type { AlertRuleKind } from "../commands/alertRules.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";

/** Subscriptions and alert rules: every function takes the workspace explicitly. */

/** A channel (Slack) or conversation (Teams), who asked, and what Teams needs to post there later. */
export interface ChannelKey {
  platform: "slack" | "teams";
  channelId: string;
  userId?: string;
  conversation?: unknown;
}

/** One subscription or rule per channel and scope: a campaign id, or all of the workspace. */
export function scopeKey(campaignId: number | null): string {
  return campaignId === null ? "all" : String(campaignId);
}

export interface SubscriptionSettings {
  cron: string;
  scheduleLabel: string;
  timezone: string;
  campaignId: number | null;
  nextRunAt: Date;
}

export async function upsertSubscription(
  prisma: PrismaClient,
  workspaceId: number,
  channel: ChannelKey,
  settings: SubscriptionSettings,
): Promise<void> {
  const key = {
    workspaceId,
    platform: channel.platform,
    channelId: channel.channelId,
    scopeKey: scopeKey(settings.campaignId),
  };
  const values = {
    ...settings,
    conversation: channel.conversation ?? undefined,
    active: true,
    disabledReason: null,
  };
  await prisma.subscription.upsert({
    where: { workspaceId_platform_channelId_scopeKey: key },
    create: { ...key, ...values, createdBy: channel.userId ?? null },
    update: values,
  });
}

export async function removeSubscription(
  prisma: PrismaClient,
  workspaceId: number,
  channel: ChannelKey,
  campaignId: number | null,
): Promise<boolean> {
  const { count } = await prisma.subscription.deleteMany({
    where: {
      workspaceId,
      platform: channel.platform,
      channelId: channel.channelId,
      scopeKey: scopeKey(campaignId),
    },
  });
  return count > 0;
}

export interface SubscriptionListing {
  id: number;
  platform: string;
  channelId: string;
  scheduleLabel: string;
  timezone: string;
  campaignName: string | null;
  nextRunAt: Date;
  active: boolean;
  disabledReason: string | null;
}

export async function listSubscriptions(
  prisma: PrismaClient,
  workspaceId: number,
): Promise<SubscriptionListing[]> {
  const rows = await prisma.subscription.findMany({
    where: { workspaceId },
    orderBy: { id: "asc" },
  });
  const campaigns = await campaignNames(prisma, workspaceId);
  return rows.map((row) => ({
    id: row.id,
    platform: row.platform,
    channelId: row.channelId,
    scheduleLabel: row.scheduleLabel,
    timezone: row.timezone,
    campaignName: row.campaignId === null ? null : (campaigns.get(row.campaignId) ?? null),
    nextRunAt: row.nextRunAt,
    active: row.active,
    disabledReason: row.disabledReason,
  }));
}

export interface AlertRuleSettings {
  kind: AlertRuleKind;
  campaignId: number | null;
  threshold: number;
}

export async function upsertAlertRule(
  prisma: PrismaClient,
  workspaceId: number,
  channel: ChannelKey,
  settings: AlertRuleSettings,
): Promise<void> {
  const key = {
    workspaceId,
    platform: channel.platform,
    channelId: channel.channelId,
    kind: settings.kind,
    scopeKey: scopeKey(settings.campaignId),
  };
  const values = {
    campaignId: settings.campaignId,
    threshold: settings.threshold,
    conversation: channel.conversation ?? undefined,
    active: true,
    disabledReason: null,
  };
  await prisma.alertRule.upsert({
    where: { workspaceId_platform_channelId_kind_scopeKey: key },
    create: { ...key, ...values, createdBy: channel.userId ?? null },
    update: values,
  });
}

export interface AlertRuleListing {
  id: number;
  platform: string;
  channelId: string;
  kind: AlertRuleKind;
  threshold: number;
  campaignName: string | null;
  active: boolean;
  disabledReason: string | null;
}

export async function listAlertRules(prisma: PrismaClient, workspaceId: number): Promise<AlertRuleListing[]> {
  const rows = await prisma.alertRule.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
  const campaigns = await campaignNames(prisma, workspaceId);
  return rows.map((row) => ({
    id: row.id,
    platform: row.platform,
    channelId: row.channelId,
    kind: row.kind as AlertRuleKind,
    threshold: row.threshold,
    campaignName: row.campaignId === null ? null : (campaigns.get(row.campaignId) ?? null),
    active: row.active,
    disabledReason: row.disabledReason,
  }));
}

async function campaignNames(prisma: PrismaClient, workspaceId: number): Promise<Map<number, string>> {
  const rows = await prisma.campaign.findMany({ where: { workspaceId }, select: { id: true, name: true } });
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The scheduler's reads and writes of subscriptions and rules (every workspace, or one). */

/** Active subscriptions whose next run has come, oldest id first. */
export function dueSubscriptions(prisma: PrismaClient, now: Date) {
  return prisma.subscription.findMany({
    where: { active: true, nextRunAt: { lte: now } },
    orderBy: { id: "asc" },
  });
}

export type SubscriptionRecord = Awaited<ReturnType<typeof dueSubscriptions>>[number];

/** Every subscription of a workspace, active or not, oldest id first. */
export function workspaceSubscriptions(
  prisma: PrismaClient,
  workspaceId: number,
): Promise<SubscriptionRecord[]> {
  return prisma.subscription.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
}

/** Moves a subscription's next run on, unless another replica already did (its nextRunAt changed). */
export async function advanceSubscription(
  prisma: PrismaClient,
  subscription: Pick<SubscriptionRecord, "id" | "nextRunAt">,
  nextRunAt: Date,
): Promise<void> {
  await prisma.subscription.updateMany({
    where: { id: subscription.id, nextRunAt: subscription.nextRunAt },
    data: { nextRunAt },
  });
}

/** Active alert rules, oldest id first. */
export function activeAlertRules(prisma: PrismaClient, workspaceId?: number) {
  return prisma.alertRule.findMany({
    where: { active: true, ...(workspaceId ? { workspaceId } : {}) },
    orderBy: { id: "asc" },
  });
}

export type AlertRuleRecord = Awaited<ReturnType<typeof activeAlertRules>>[number];

/** Whether a rule's finding went out (or is on its way) since `since`: its cooldown. */
export async function alertSentSince(
  prisma: PrismaClient,
  ruleId: number,
  subject: string,
  since: Date,
): Promise<boolean> {
  const recent = await prisma.delivery.count({
    where: {
      alertRuleId: ruleId,
      dedupeKey: { startsWith: `alert:${ruleId}:${subject}:` },
      status: { in: ["pending", "sending", "sent"] },
      dueAt: { gt: since },
    },
  });
  return recent > 0;
}

/** Stops what feeds a channel that cannot take messages any more, saying why. */
export async function stopDeliverySource(
  prisma: PrismaClient,
  source: { workspaceId: number; subscriptionId: number | null; alertRuleId: number | null },
  reason: string,
): Promise<void> {
  const data = { active: false, disabledReason: reason };
  if (source.subscriptionId !== null) {
    await prisma.subscription.updateMany({
      where: { id: source.subscriptionId, workspaceId: source.workspaceId },
      data,
    });
  }
  if (source.alertRuleId !== null) {
    await prisma.alertRule.updateMany({
      where: { id: source.alertRuleId, workspaceId: source.workspaceId },
      data,
    });
  }
}
