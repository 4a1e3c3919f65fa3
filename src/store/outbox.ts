import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import type { SqlRunner } from "./sqlRunner.ts";

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
export async function enqueueDelivery(db: SqlRunner, delivery: NewDelivery): Promise<boolean> {
  const added = await db.$executeRaw(
    Prisma.sql`INSERT INTO delivery (workspace_id, dedupe_key, subscription_id, alert_rule_id, platform, channel_id,
       payload, status, due_at, next_attempt_at, last_error)
     VALUES (${delivery.workspaceId}, ${delivery.dedupeKey}, ${delivery.subscriptionId ?? null},
       ${delivery.alertRuleId ?? null}, ${delivery.platform}, ${delivery.channelId},
       ${JSON.stringify(delivery.payload)}::jsonb, ${delivery.status ?? "pending"}, ${delivery.dueAt},
       ${delivery.dueAt}, ${delivery.reason ?? null})
     ON CONFLICT (dedupe_key) DO NOTHING`,
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
  db: SqlRunner,
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
  return db.$queryRaw<ClaimedDelivery[]>(
    Prisma.sql`UPDATE delivery SET status = 'sending', lease_owner = ${owner},
       lease_until = ${now}::timestamptz + ${leaseMs} * interval '1 millisecond', attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM delivery
       WHERE ((status = 'pending' AND next_attempt_at <= ${now}) OR (status = 'sending' AND lease_until < ${now}))
         AND platform = ANY(${platforms}::text[])
       ORDER BY next_attempt_at, id
       LIMIT ${limit}
       FOR UPDATE SKIP LOCKED)
     RETURNING id, workspace_id AS "workspaceId", subscription_id AS "subscriptionId", alert_rule_id AS "alertRuleId",
       platform, channel_id AS "channelId", payload, attempts,
       COALESCE((SELECT conversation FROM subscription WHERE subscription.id = delivery.subscription_id),
                (SELECT conversation FROM alert_rule WHERE alert_rule.id = delivery.alert_rule_id)) AS conversation`,
  );
}

/**
 * Extends `owner`'s claim on a row to `now` + `leaseMs`, right before sending it: false when the
 * claim was lost (it expired and another replica took the row), and the row must not be sent.
 */
export async function holdLease(
  db: SqlRunner,
  id: number,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const held = await db.$executeRaw(
    Prisma.sql`UPDATE delivery SET lease_until = ${now}::timestamptz + ${leaseMs} * interval '1 millisecond'
     WHERE id = ${id} AND lease_owner = ${owner} AND status = 'sending'`,
  );
  return held > 0;
}

/**
 * Gives a claimed row back unsent, due again at `at`, without counting the claim as an attempt:
 * for a message the platform asked us to hold back (rate limits), which says nothing about
 * whether it can be delivered.
 */
export async function releaseDelivery(
  db: SqlRunner,
  id: number,
  owner: string,
  retry: { at: Date; reason: string },
): Promise<boolean> {
  const released = await db.$executeRaw(
    Prisma.sql`UPDATE delivery SET status = 'pending', next_attempt_at = ${retry.at}, last_error = ${retry.reason},
       attempts = attempts - 1, lease_owner = NULL, lease_until = NULL
     WHERE id = ${id} AND lease_owner = ${owner}`,
  );
  return released > 0;
}

/** Settles a claimed row, only while `owner` still holds it. */
export async function settleDelivery(
  db: SqlRunner,
  id: number,
  owner: string,
  outcome:
    | { status: "sent"; at: Date }
    | { status: "failed"; reason: string }
    | { status: "retry"; at: Date; reason: string },
): Promise<boolean> {
  const settled =
    outcome.status === "sent"
      ? Prisma.sql`status = 'sent', sent_at = ${outcome.at}, last_error = NULL`
      : outcome.status === "failed"
        ? Prisma.sql`status = 'failed', last_error = ${outcome.reason}`
        : Prisma.sql`status = 'pending', next_attempt_at = ${outcome.at}, last_error = ${outcome.reason}`;
  const updated = await db.$executeRaw(
    Prisma.sql`UPDATE delivery SET ${settled}, lease_owner = NULL, lease_until = NULL
     WHERE id = ${id} AND lease_owner = ${owner}`,
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
