import type { PrismaClient } from "../generated/prisma/client.ts";
import { log } from "../log.ts";
import { type ClaimedDelivery, claimDue, settleDelivery } from "../store/outbox.ts";

/** Why a send did not go through, as the platform adapter judges it. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: "transient" | "permanent" | "rateLimited",
    message: string,
    /** For rateLimited: what the platform asked us to wait (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Posts one rendered payload to one channel; throws DeliveryError when it cannot. */
export type Sender = (delivery: ClaimedDelivery) => Promise<void>;

export interface DeliveryOptions {
  owner: string;
  leaseMs: number;
  batchSize: number;
  maxAttempts: number;
  /** Messages to one channel are at least this far apart (Slack: about one a second). */
  channelSpacingMs: number;
  /** Backoff before retry n (1-based): base · 2^(n−1), capped. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_DELIVERY_OPTIONS: Omit<DeliveryOptions, "owner"> = {
  leaseMs: 60_000,
  batchSize: 20,
  maxAttempts: 6,
  channelSpacingMs: 1_100,
  backoffBaseMs: 30_000,
  backoffMaxMs: 30 * 60_000,
};

export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
  rateLimited: number;
}

export interface DeliveryDeps {
  prisma: PrismaClient;
  senders: Partial<Record<string, Sender>>;
  /** Waits between two messages to one channel; tests pass a fake. */
  sleep: (ms: number) => Promise<void>;
  /** Told when a permanent failure stops a subscription or rule, to warn the workspace. */
  onPermanentFailure?: (delivery: ClaimedDelivery, reason: string) => Promise<void>;
}

/**
 * Sends what is due as of `now`: claims a batch, posts each channel's messages in order and
 * paced, and settles every row: sent, retried later (backoff, or Retry-After on 429), or failed
 * for good — which also stops the subscription or rule that made it, with the reason.
 */
export async function deliverDue(
  deps: DeliveryDeps,
  options: DeliveryOptions,
  now: Date,
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, rateLimited: 0 };
  const claimed = await claimDue(deps.prisma, options.owner, now, options.leaseMs, options.batchSize);
  await Promise.all(
    groupByChannel(claimed).map(async (deliveries) => {
      for (const [i, delivery] of deliveries.entries()) {
        if (i > 0) await deps.sleep(options.channelSpacingMs);
        await deliverOne(deps, options, delivery, now, report);
      }
    }),
  );
  return report;
}

function groupByChannel(deliveries: ClaimedDelivery[]): ClaimedDelivery[][] {
  const groups = new Map<string, ClaimedDelivery[]>();
  for (const delivery of deliveries) {
    const key = `${delivery.platform}:${delivery.channelId}`;
    groups.set(key, [...(groups.get(key) ?? []), delivery]);
  }
  return [...groups.values()];
}

async function deliverOne(
  deps: DeliveryDeps,
  options: DeliveryOptions,
  delivery: ClaimedDelivery,
  now: Date,
  report: DeliveryReport,
): Promise<void> {
  const sender = deps.senders[delivery.platform];
  try {
    if (!sender) throw new DeliveryError("permanent", `no ${delivery.platform} connection is configured`);
    await sender(delivery);
    await settleDelivery(deps.prisma, delivery.id, options.owner, { status: "sent", at: now });
    report.sent++;
  } catch (error) {
    const failure =
      error instanceof DeliveryError ? error : new DeliveryError("transient", (error as Error).message);
    if (failure.kind === "permanent" || delivery.attempts >= options.maxAttempts) {
      const reason =
        failure.kind === "permanent"
          ? failure.message
          : `gave up after ${delivery.attempts} attempts: ${failure.message}`;
      await settleDelivery(deps.prisma, delivery.id, options.owner, { status: "failed", reason });
      await stopSource(deps.prisma, delivery, reason);
      await deps.onPermanentFailure?.(delivery, reason);
      log.warn({ deliveryId: delivery.id, reason }, "delivery failed for good");
      report.failed++;
      return;
    }
    const waitMs =
      failure.kind === "rateLimited"
        ? (failure.retryAfterMs ?? options.backoffBaseMs)
        : Math.min(options.backoffBaseMs * 2 ** (delivery.attempts - 1), options.backoffMaxMs);
    await settleDelivery(deps.prisma, delivery.id, options.owner, {
      status: "retry",
      at: new Date(now.getTime() + waitMs),
      reason: failure.message,
    });
    if (failure.kind === "rateLimited") report.rateLimited++;
    report.retried++;
  }
}

/** A channel that cannot take messages any more: stop what feeds it instead of retrying forever. */
async function stopSource(prisma: PrismaClient, delivery: ClaimedDelivery, reason: string): Promise<void> {
  if (delivery.subscriptionId !== null) {
    await prisma.subscription.updateMany({
      where: { id: delivery.subscriptionId, workspaceId: delivery.workspaceId },
      data: { active: false, disabledReason: reason },
    });
  }
  if (delivery.alertRuleId !== null) {
    await prisma.alertRule.updateMany({
      where: { id: delivery.alertRuleId, workspaceId: delivery.workspaceId },
      data: { active: false, disabledReason: reason },
    });
  }
}
