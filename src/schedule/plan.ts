import { forAnswering, insightContextById } from "../conversation/workspace.ts";
import type { ViewModel, WeeklyDigestView } from "../insights/viewModels.ts";
import { weeklyDigest } from "../insights/weeklyDigest.ts";
import { campaignById } from "../store/catalog.ts";
import type { Store } from "../store/database.ts";
import { enqueueDelivery } from "../store/outbox.ts";
import { advanceSubscription, dueSubscriptions } from "../store/subscriptions.ts";
import { nextRunAfter } from "./timing.ts";

/** Turns a view model into what a platform's sender posts (Block Kit, an Adaptive Card, text). */
export type PayloadRenderer = (view: ViewModel) => unknown;

export interface PlanDeps {
  prisma: Store["prisma"];
  /**
   * What digests and alerts read their insights through (Store.reads: the replica while it is at
   * most DATABASE_REPLICA_MAX_LAG_SECONDS behind, else the primary); `prisma` when absent.
   * Subscriptions, rules, the outbox and each digest's workspace and campaign stay on `prisma`.
   */
  reads?: Store["prisma"];
  renderers: Partial<Record<string, PayloadRenderer>>;
}

export const DEFAULT_GRACE_MS = 24 * 3_600_000;

export interface PlanReport {
  enqueued: number;
  skipped: number;
}

/** A subscription's schedule: a cron expression in a time zone, and its next moment not yet planned. */
export interface ScheduledRun {
  cron: string;
  timezone: string;
  nextRunAt: Date;
}

/** One period that has come due: sent, or skipped with the reason. */
export type PeriodPlan = { period: Date; send: true } | { period: Date; send: false; reason: string };

/** What a digest is about: the workspace, and one campaign or all of it. */
export interface DigestScope {
  workspaceId: number;
  campaignId: number | null;
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
  const due = await dueSubscriptions(deps.prisma, now);
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
    for (const plan of periodsDue(subscription, now, graceMs)) {
      const base = {
        workspaceId: subscription.workspaceId,
        dedupeKey: `digest:${subscription.id}:${plan.period.toISOString()}`,
        subscriptionId: subscription.id,
        platform: subscription.platform,
        channelId: subscription.channelId,
        dueAt: plan.period,
      };
      if (plan.send) {
        const payload = await payloadFor(subscription, plan.period);
        if (await enqueueDelivery(deps.prisma, { ...base, payload })) report.enqueued++;
      } else if (
        await enqueueDelivery(deps.prisma, { ...base, payload: null, status: "skipped", reason: plan.reason })
      ) {
        report.skipped++;
      }
    }
    await advanceSubscription(
      deps.prisma,
      subscription,
      nextRunAfter(subscription.cron, subscription.timezone, now),
    );
  }
  return report;
}

/**
 * The periods of a schedule that have come due by `now`, oldest first: the latest is sent when it
 * is within the grace window; the others were missed (downtime) and are skipped with the reason.
 */
export function periodsDue(run: ScheduledRun, now: Date, graceMs: number): PeriodPlan[] {
  const periods: Date[] = [];
  for (let period = run.nextRunAt; period <= now; period = nextRunAfter(run.cron, run.timezone, period))
    periods.push(period);
  const latest = periods[periods.length - 1];
  return periods.map((period): PeriodPlan => {
    const lateBy = now.getTime() - period.getTime();
    if (period === latest && lateBy <= graceMs) return { period, send: true };
    const reason =
      period === latest
        ? `missed by ${Math.round(lateBy / 3_600_000)} h, beyond the ${Math.round(graceMs / 3_600_000)} h grace window`
        : "superseded by a later digest after downtime";
    return { period, send: false, reason };
  });
}

/**
 * The digest of one period, as the subscription's scope sees it: the scope found on the primary
 * (a campaign a replica has not replayed yet still narrows the digest), the digest read through
 * `store.reads` when there is one.
 */
export async function digestView(
  store: Pick<PlanDeps, "prisma" | "reads">,
  scope: DigestScope,
  period: Date,
): Promise<WeeklyDigestView> {
  const ctx = await insightContextById(store.prisma, scope.workspaceId);
  const campaign =
    scope.campaignId === null ? null : await campaignById(store.prisma, ctx.workspace.id, scope.campaignId);
  return weeklyDigest(
    forAnswering(ctx, store),
    { campaignId: campaign?.id, campaignName: campaign?.name },
    period,
  );
}

async function digestPayload(
  deps: PlanDeps,
  subscription: DigestScope & { platform: string },
  period: Date,
): Promise<unknown> {
  const render = deps.renderers[subscription.platform];
  if (!render) throw new Error(`No renderer for ${subscription.platform}`);
  return render(await digestView(deps, subscription, period));
}
