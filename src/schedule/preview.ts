import type { WeeklyDigestView } from "../insights/viewModels.ts";
import type { Store } from "../store/database.ts";
import { workspaceSubscriptions } from "../store/subscriptions.ts";
import { DEFAULT_GRACE_MS, digestView, periodsDue } from "./plan.ts";

/** What the scheduler would do with one period of one subscription. */
export type PreviewAction =
  /** Due by now: the next tick sends it. */
  | { kind: "due" }
  /** Not due yet: sent at the period, with the data as it is then. */
  | { kind: "upcoming" }
  /** Missed (downtime): recorded as skipped, not sent. */
  | { kind: "skipped"; reason: string }
  /** The subscription was stopped (e.g. the bot was removed from the channel). */
  | { kind: "stopped"; reason: string };

export interface DigestPreview {
  subscriptionId: number;
  platform: string;
  channelId: string;
  scheduleLabel: string;
  timezone: string;
  period: Date;
  action: PreviewAction;
  /** The digest that would be sent; null when nothing is. */
  digest: WeeklyDigestView | null;
}

/**
 * `longtail digest --dry-run`: the digests of a workspace's subscriptions as the scheduler would
 * plan them as of `now`, each with its content — without sending or writing anything.
 */
export async function previewDigests(
  store: Pick<Store, "prisma" | "reads">,
  workspaceId: number,
  now: Date,
  graceMs = DEFAULT_GRACE_MS,
): Promise<DigestPreview[]> {
  const subscriptions = await workspaceSubscriptions(store.prisma, workspaceId);
  const previews: DigestPreview[] = [];
  for (const subscription of subscriptions) {
    const about = {
      subscriptionId: subscription.id,
      platform: subscription.platform,
      channelId: subscription.channelId,
      scheduleLabel: subscription.scheduleLabel,
      timezone: subscription.timezone,
    };
    const withDigest = async (period: Date, action: PreviewAction): Promise<DigestPreview> => ({
      ...about,
      period,
      action,
      digest: await digestView(store, subscription, period),
    });
    if (!subscription.active) {
      const reason = subscription.disabledReason ?? "disabled";
      previews.push({
        ...about,
        period: subscription.nextRunAt,
        action: { kind: "stopped", reason },
        digest: null,
      });
    } else if (subscription.nextRunAt > now) {
      previews.push(await withDigest(subscription.nextRunAt, { kind: "upcoming" }));
    } else {
      for (const plan of periodsDue(subscription, now, graceMs)) {
        previews.push(
          plan.send
            ? await withDigest(plan.period, { kind: "due" })
            : {
                ...about,
                period: plan.period,
                action: { kind: "skipped", reason: plan.reason },
                digest: null,
              },
        );
      }
    }
  }
  return previews;
}
