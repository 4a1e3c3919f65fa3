import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Db } from "./db.ts";

/**
 * The delivery outbox. A row per message; its unique dedupe key makes a second row for the
 * same digest period or alert impossible, and rows are claimed with FOR UPDATE SKIP LOCKED
 * under a lease, so replicas share the work and a dead replica's claim runs out.
 */

export type DeliveryStatus = "pending" | "sending" | "sent" | "failed" | "skipped";

export interface NewDelivery {
  workspaceId: number;
  dedupeKey: string;
  subscriptionId?: number | null;
  alertRuleId?: number | null;
  platform: string;
  channelId: string;
  payload: unknown;
  dueAt: Date;
  /** "skipped" records a digest that was not sent (missed the grace window), with the reason. */
  status?: "pending" | "skipped";
  reason?: string;
}

/** Adds the row unless one with the same key exists; true when this call added it. */
export async function enqueueDelivery(db: Db, delivery: NewDelivery): Promise<boolean> {
  const added = await db.$executeRawUnsafe(
    `INSERT INTO delivery (workspace_id, dedupe_key, subscription_id, alert_rule_id, platform, channel_id, payload,
       status, due_at, next_attempt_at, last_error)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $9, $10)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    delivery.workspaceId,
    delivery.dedupeKey,
    delivery.subscriptionId ?? null,
    delivery.alertRuleId ?? null,
    delivery.platform,
    delivery.channelId,
    JSON.stringify(delivery.payload),
    delivery.status ?? "pending",
    delivery.dueAt,
    delivery.reason ?? null,
  );
  return added > 0;
}

export interface ClaimedDelivery {
  id: number;
  workspaceId: number;
  subscriptionId: number | null;
  alertRuleId: number | null;
  platform: string;
  channelId: string;
  /** The conversation reference stored with the subscription or alert rule (Teams needs it to post). */
  conversation: unknown;
  payload: unknown;
  attempts: number;
}

/**
 * Claims up to `limit` rows of the given platforms that are due, or whose previous claim expired,
 * for `owner`. Rows of other platforms stay for a replica that can send them.
 */
export async function claimDue(
  db: Db,
  owner: string,
  platforms: readonly string[],
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  // The reclaim branch (status = 'sending' AND lease_until < now) takes over rows whose owner died
  // or stalled past its lease. This is where delivery is at-least-once, not exactly-once: if the
  // owner died after the platform accepted the message but before settleDelivery marked the row
  // sent (one HTTP round trip and one UPDATE), the message goes out a second time. (So does a send
  // that timed out after Slack had accepted it: that one is retried as a transient failure.) Each
  // Slack message carries its row id as metadata, so a duplicate can be recognised afterwards.
  // Closing the window would mean reading the channel's history before re-sending a reclaimed row:
  // channels:history and groups:history scopes (the bot could read every message where it is), and
  // one history call a minute for apps outside the Slack Marketplace. We accept the rare duplicate.
  return db.$queryRawUnsafe<ClaimedDelivery[]>(
    `UPDATE delivery SET status = 'sending', lease_owner = $1, lease_until = $2::timestamptz + $3 * interval '1 millisecond',
       attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM delivery
       WHERE ((status = 'pending' AND next_attempt_at <= $2) OR (status = 'sending' AND lease_until < $2))
         AND platform = ANY($5::text[])
       ORDER BY next_attempt_at, id
       LIMIT $4
       FOR UPDATE SKIP LOCKED)
     RETURNING id, workspace_id AS "workspaceId", subscription_id AS "subscriptionId", alert_rule_id AS "alertRuleId",
       platform, channel_id AS "channelId", payload, attempts,
       COALESCE((SELECT conversation FROM subscription WHERE subscription.id = delivery.subscription_id),
                (SELECT conversation FROM alert_rule WHERE alert_rule.id = delivery.alert_rule_id)) AS conversation`,
    owner,
    now,
    leaseMs,
    limit,
    platforms,
  );
}

/**
 * Extends `owner`'s claim on a row to `now` + `leaseMs`, right before sending it: false when the
 * claim was lost (it expired and another replica took the row), and the row must not be sent.
 */
export async function holdLease(
  db: Db,
  id: number,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const held = await db.$executeRawUnsafe(
    `UPDATE delivery SET lease_until = $3::timestamptz + $4 * interval '1 millisecond'
     WHERE id = $1 AND lease_owner = $2 AND status = 'sending'`,
    id,
    owner,
    now,
    leaseMs,
  );
  return held > 0;
}

/**
 * Gives a claimed row back unsent, due again at `at`, without counting the claim as an attempt:
 * for a message the platform asked us to hold back (rate limits), which says nothing about
 * whether it can be delivered.
 */
export async function releaseDelivery(
  db: Db,
  id: number,
  owner: string,
  retry: { at: Date; reason: string },
): Promise<boolean> {
  const released = await db.$executeRawUnsafe(
    `UPDATE delivery SET status = 'pending', next_attempt_at = $3, last_error = $4, attempts = attempts - 1,
       lease_owner = NULL, lease_until = NULL
     WHERE id = $1 AND lease_owner = $2`,
    id,
    owner,
    retry.at,
    retry.reason,
  );
  return released > 0;
}

/** Settles a claimed row, only while `owner` still holds it. */
export async function settleDelivery(
  db: Db,
  id: number,
  owner: string,
  outcome:
    | { status: "sent"; at: Date }
    | { status: "failed"; reason: string }
    | { status: "retry"; at: Date; reason: string },
): Promise<boolean> {
  const [sql, ...values] =
    outcome.status === "sent"
      ? ["status = 'sent', sent_at = $3, last_error = NULL", outcome.at]
      : outcome.status === "failed"
        ? ["status = 'failed', last_error = $3", outcome.reason]
        : ["status = 'pending', next_attempt_at = $3, last_error = $4", outcome.at, outcome.reason];
  const updated = await db.$executeRawUnsafe(
    `UPDATE delivery SET ${sql}, lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2`,
    id,
    owner,
    ...values,
  );
  return updated > 0;
}

export async function deliveryCounts(
  prisma: PrismaClient,
  workspaceId: number,
): Promise<Record<DeliveryStatus, number>> {
  const rows = await prisma.delivery.groupBy({ by: ["status"], where: { workspaceId }, _count: true });
  const counts: Record<DeliveryStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const row of rows) counts[row.status as DeliveryStatus] = row._count;
  return counts;
}
