import { log } from "../log.ts";
import { observeDelivery } from "../ops/metrics.ts";
import type { Store } from "../store/database.ts";

export type { ClaimedDelivery } from "../store/outbox.ts";

import {
  type ClaimedDelivery,
  claimDue,
  holdLease,
  releaseDelivery,
  settleDelivery,
} from "../store/outbox.ts";
import { stopDeliverySource } from "../store/subscriptions.ts";
import type { DeliveryPacer } from "./pacing.ts";

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

/** The deliverer's sense of time. */
export type Clock = () => Date;

/** A tick's moment, moving on as real time passes while the tick works. */
export function clockFrom(start: Date): Clock {
  const startedAt = performance.now();
  return () => new Date(start.getTime() + (performance.now() - startedAt));
}

export interface DeliveryOptions {
  owner: string;
  /** Longer than one send takes (the sender's timeout): the claim is renewed before each send. */
  leaseMs: number;
  batchSize: number;
  /** Transient failures before a message is given up (rate limits do not count). */
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
  // 30 s, 1, 2, 4, 8, 16 min, then every 30 min: about two hours of a platform's outage.
  maxAttempts: 10,
  channelSpacingMs: 1_100,
  backoffBaseMs: 30_000,
  backoffMaxMs: 30 * 60_000,
};

export interface DeliveryReport {
  claimed: number;
  sent: number;
  /** Back in the outbox for later: transient failures, 429s, and messages held back meanwhile. */
  retried: number;
  failed: number;
  /** 429 answers seen. */
  rateLimited: number;
}

export interface DeliveryDeps {
  prisma: Store["prisma"];
  /** One per platform this replica can send to; rows of other platforms stay in the outbox. */
  senders: Partial<Record<string, Sender>>;
  /** Waits between two messages to one channel; tests pass a fake. */
  sleep: (ms: number) => Promise<void>;
}

interface Round {
  deps: DeliveryDeps;
  options: DeliveryOptions;
  clock: Clock;
  pacer: DeliveryPacer;
  report: DeliveryReport;
}

/**
 * Sends what is due: claims a batch, posts each workspace's messages in order with each channel's
 * paced, and settles every row: sent, retried later (backoff, or Retry-After on 429), or failed
 * for good — which also stops the subscription or rule that made it, with the reason.
 */
export async function deliverDue(
  deps: DeliveryDeps,
  options: DeliveryOptions,
  clock: Clock,
  pacer: DeliveryPacer,
): Promise<DeliveryReport> {
  const report: DeliveryReport = { claimed: 0, sent: 0, retried: 0, failed: 0, rateLimited: 0 };
  const platforms = Object.keys(deps.senders).filter((platform) => deps.senders[platform]);
  const claimed = await claimDue(
    deps.prisma,
    options.owner,
    platforms,
    clock(),
    options.leaseMs,
    options.batchSize,
  );
  report.claimed = claimed.length;
  pacer.forgetBefore(clock().getTime());
  const round: Round = { deps, options, clock, pacer, report };
  await Promise.all(
    groupByWorkspace(claimed).map(async (deliveries) => {
      for (const delivery of deliveries) await deliverInTurn(round, delivery);
    }),
  );
  return report;
}

function channelKey(delivery: ClaimedDelivery): string {
  return `${delivery.platform}:${delivery.channelId}`;
}

function workspaceKey(delivery: ClaimedDelivery): string {
  return `${delivery.platform}:${delivery.workspaceId}`;
}

/**
 * One message at a time per workspace: a burst to one workspace ends at its first 429 instead of
 * with a volley of them. Workspaces are sent to side by side.
 */
function groupByWorkspace(deliveries: ClaimedDelivery[]): ClaimedDelivery[][] {
  const groups = new Map<string, ClaimedDelivery[]>();
  for (const delivery of deliveries) {
    const key = workspaceKey(delivery);
    groups.set(key, [...(groups.get(key) ?? []), delivery]);
  }
  return [...groups.values()];
}

/** Waits for the channel's turn; holds back a workspace told to wait; sends only under a live claim. */
async function deliverInTurn(round: Round, delivery: ClaimedDelivery): Promise<void> {
  const { deps, options, clock, pacer, report } = round;
  const turnInMs = pacer.channelWait(channelKey(delivery), clock().getTime());
  if (turnInMs > 0) await deps.sleep(turnInMs);
  const resumesAt = pacer.resumesAt(workspaceKey(delivery), clock().getTime());
  if (resumesAt !== undefined) {
    await releaseDelivery(deps.prisma, delivery.id, options.owner, {
      at: new Date(resumesAt),
      reason: "held back: the platform asked to wait (rate limit)",
    });
    report.retried++;
    observeDelivery(delivery.platform, "retried");
    return;
  }
  if (!(await holdLease(deps.prisma, delivery.id, options.owner, clock(), options.leaseMs))) {
    log.warn({ deliveryId: delivery.id }, "delivery claim expired before sending; another replica has it");
    return;
  }
  pacer.sending(channelKey(delivery), clock().getTime());
  await deliverOne(round, delivery);
}

function senderFor(deps: DeliveryDeps, delivery: ClaimedDelivery): Sender {
  const sender = deps.senders[delivery.platform];
  if (!sender)
    throw new Error(`Claimed a ${delivery.platform} delivery without a ${delivery.platform} sender`);
  return sender;
}

async function deliverOne(round: Round, delivery: ClaimedDelivery): Promise<void> {
  const { deps, options, clock, report } = round;
  try {
    await senderFor(deps, delivery)(delivery);
    await settleDelivery(deps.prisma, delivery.id, options.owner, { status: "sent", at: clock() });
    report.sent++;
    observeDelivery(delivery.platform, "sent");
  } catch (error) {
    const failure =
      error instanceof DeliveryError ? error : new DeliveryError("transient", (error as Error).message);
    if (failure.kind === "rateLimited") await holdBack(round, delivery, failure);
    else if (failure.kind === "permanent") await failForGood(round, delivery, failure.message);
    else if (delivery.attempts >= options.maxAttempts) await giveUp(round, delivery, failure.message);
    else await retryLater(round, delivery, failure.message);
  }
}

/** A 429: this message and everything else to the workspace wait for Retry-After; no attempt is used up. */
async function holdBack(round: Round, delivery: ClaimedDelivery, failure: DeliveryError): Promise<void> {
  const { deps, options, clock, pacer, report } = round;
  const at = new Date(clock().getTime() + (failure.retryAfterMs ?? options.backoffBaseMs));
  pacer.pause(workspaceKey(delivery), at.getTime());
  await releaseDelivery(deps.prisma, delivery.id, options.owner, { at, reason: failure.message });
  report.rateLimited++;
  report.retried++;
  observeDelivery(delivery.platform, "retried");
}

async function retryLater(round: Round, delivery: ClaimedDelivery, reason: string): Promise<void> {
  const { deps, options, clock, report } = round;
  const waitMs = Math.min(options.backoffBaseMs * 2 ** (delivery.attempts - 1), options.backoffMaxMs);
  await settleDelivery(deps.prisma, delivery.id, options.owner, {
    status: "retry",
    at: new Date(clock().getTime() + waitMs),
    reason,
  });
  report.retried++;
  observeDelivery(delivery.platform, "retried");
}

/** Transient failures all the way: this message is recorded as failed; the next period tries again. */
async function giveUp(round: Round, delivery: ClaimedDelivery, lastError: string): Promise<void> {
  const { deps, options, report } = round;
  const reason = `gave up after ${delivery.attempts} attempts: ${lastError}`;
  await settleDelivery(deps.prisma, delivery.id, options.owner, { status: "failed", reason });
  log.warn({ deliveryId: delivery.id, reason }, "delivery given up");
  report.failed++;
  observeDelivery(delivery.platform, "failed");
}

/** The channel cannot take messages any more: stop what feeds it instead of retrying forever. */
async function failForGood(round: Round, delivery: ClaimedDelivery, reason: string): Promise<void> {
  const { deps, options, report } = round;
  await settleDelivery(deps.prisma, delivery.id, options.owner, { status: "failed", reason });
  await stopDeliverySource(deps.prisma, delivery, reason);
  log.warn({ deliveryId: delivery.id, reason }, "delivery failed for good");
  report.failed++;
  observeDelivery(delivery.platform, "failed");
}
