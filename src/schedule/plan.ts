import type { PrismaClient } from "../generated/prisma/client.ts";
import type { InsightContext } from "../insights/context.ts";
import type { ViewModel } from "../insights/viewModels.ts";
import { weeklyDigest } from "../insights/weeklyDigest.ts";
import { enqueueDelivery } from "../store/outbox.ts";
import { workspaceById } from "../store/workspaces.ts";
import { nextRunAfter } from "./timing.ts";

/** Turns a view model into what a platform's sender posts (Block Kit, an Adaptive Card, text). */
export type PayloadRenderer = (view: ViewModel) => unknown;

export interface PlanDeps {
  prisma: PrismaClient;
  renderers: Partial<Record<string, PayloadRenderer>>;
}

export const DEFAULT_GRACE_MS = 24 * 3_600_000;

export interface PlanReport {
  enqueued: number;
  skipped: number;
}

/**
 * Puts every digest that has come due by `now` in the outbox. After downtime, the latest
 * missed period within the grace window is sent once; older or later ones are recorded as
 * skipped with the reason. Each subscription's next run then moves past `now`.
 */
export async function planDigests(
  deps: PlanDeps,
  now: Date,
  graceMs = DEFAULT_GRACE_MS,
): Promise<PlanReport> {
  const report: PlanReport = { enqueued: 0, skipped: 0 };
  const due = await deps.prisma.subscription.findMany({
    where: { active: true, nextRunAt: { lte: now } },
    orderBy: { id: "asc" },
  });
  // Channels that share a workspace, scope, platform and moment get the same digest: build it once.
  const payloads = new Map<string, Promise<unknown>>();
  const payloadFor = (subscription: (typeof due)[number], period: Date) => {
    const key = [
      subscription.workspaceId,
      subscription.campaignId,
      subscription.platform,
      period.toISOString(),
    ].join(":");
    const payload = payloads.get(key) ?? digestPayload(deps, subscription, period);
    payloads.set(key, payload);
    return payload;
  };
  for (const subscription of due) {
    const periods = duePeriods(subscription.cron, subscription.timezone, subscription.nextRunAt, now);
    const latest = periods[periods.length - 1];
    for (const period of periods) {
      const key = `digest:${subscription.id}:${period.toISOString()}`;
      const base = {
        workspaceId: subscription.workspaceId,
        dedupeKey: key,
        subscriptionId: subscription.id,
        platform: subscription.platform,
        channelId: subscription.channelId,
        dueAt: period,
      };
      const lateBy = now.getTime() - period.getTime();
      if (period === latest && lateBy <= graceMs) {
        const payload = await payloadFor(subscription, period);
        if (await enqueueDelivery(deps.prisma, { ...base, payload })) report.enqueued++;
      } else {
        const reason =
          period === latest
            ? `missed by ${Math.round(lateBy / 3_600_000)} h, beyond the ${Math.round(graceMs / 3_600_000)} h grace window`
            : "superseded by a later digest after downtime";
        if (await enqueueDelivery(deps.prisma, { ...base, payload: null, status: "skipped", reason }))
          report.skipped++;
      }
    }
    await deps.prisma.subscription.updateMany({
      where: { id: subscription.id, nextRunAt: subscription.nextRunAt },
      data: { nextRunAt: nextRunAfter(subscription.cron, subscription.timezone, now) },
    });
  }
  return report;
}

/** The scheduled moments from `first` up to and including `now`. */
function duePeriods(cron: string, timezone: string, first: Date, now: Date): Date[] {
  const periods: Date[] = [];
  for (let period = first; period <= now; period = nextRunAfter(cron, timezone, period)) periods.push(period);
  return periods;
}

async function digestPayload(
  deps: PlanDeps,
  subscription: { workspaceId: number; platform: string; campaignId: number | null },
  period: Date,
): Promise<unknown> {
  const render = deps.renderers[subscription.platform];
  if (!render) throw new Error(`No renderer for ${subscription.platform}`);
  const workspace = await workspaceById(deps.prisma, subscription.workspaceId);
  const ctx: InsightContext = { prisma: deps.prisma, workspace };
  const campaign =
    subscription.campaignId === null
      ? null
      : await deps.prisma.campaign.findFirst({
          where: { id: subscription.campaignId, workspaceId: workspace.id },
        });
  const view = await weeklyDigest(ctx, { campaignId: campaign?.id, campaignName: campaign?.name }, period);
  return render(view);
}
