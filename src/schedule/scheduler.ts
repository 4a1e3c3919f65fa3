import { randomUUID } from "node:crypto";
import cron, { type ScheduledTask } from "node-cron";
import { type CollectorSource, collectDue, DEFAULT_COLLECTION_OPTIONS } from "../collect/schedule.ts";
import { log } from "../log.ts";
import { ensureSnapshotMonthsAhead } from "../store/partitions.ts";
import { evaluateAlertRules } from "./alerts.ts";
import {
  clockFrom,
  DEFAULT_DELIVERY_OPTIONS,
  type DeliveryDeps,
  type DeliveryOptions,
  deliverDue,
} from "./deliver.ts";
import { DeliveryPacer } from "./pacing.ts";
import { DEFAULT_GRACE_MS, type PlanDeps, planDigests } from "./plan.ts";

export interface SchedulerOptions {
  /** Names this replica's claims in the outbox. */
  owner: string;
  graceMs: number;
  alertIntervalMs: number;
  /** Most outbox batches one tick works through, so a tick always ends. */
  maxBatchesPerTick: number;
  delivery: Omit<DeliveryOptions, "owner">;
  /** Seconds between ticks of `start()`: a divisor of 60, or 60 (on the minute). */
  tickSeconds: number;
}

/** What a caller may set; the rest are the defaults. */
export type SchedulerSettings = Partial<Omit<SchedulerOptions, "delivery">> & {
  delivery?: Partial<SchedulerOptions["delivery"]>;
};

export interface TickReport {
  /** Snapshots the collectors wrote (tracked posts due in this tick). */
  collectedSnapshots: number;
  enqueuedDigests: number;
  skippedDigests: number;
  enqueuedAlerts: number;
  sent: number;
  retried: number;
  failed: number;
  rateLimited: number;
}

/**
 * The clock's side of the bot: what is due → insights → renderer → outbox → platform.
 * `tick(now)` does one round and is what tests drive; `start()` runs it every minute (`tickSeconds`).
 */
export class Scheduler {
  private readonly options: SchedulerOptions;
  private readonly pacer: DeliveryPacer;
  private lastAlertsAt = Number.NEGATIVE_INFINITY;
  /** The UTC month ("2026-12") whose snapshot partitions this scheduler last made sure of. */
  private monthsMadeFor: string | undefined;

  constructor(
    private readonly deps: PlanDeps & DeliveryDeps & { collectors?: CollectorSource },
    settings: SchedulerSettings = {},
  ) {
    this.options = {
      owner: settings.owner ?? `replica-${randomUUID()}`,
      graceMs: settings.graceMs ?? DEFAULT_GRACE_MS,
      alertIntervalMs: settings.alertIntervalMs ?? 3_600_000,
      maxBatchesPerTick: settings.maxBatchesPerTick ?? 50,
      delivery: { ...DEFAULT_DELIVERY_OPTIONS, ...settings.delivery },
      tickSeconds: settings.tickSeconds ?? 60,
    };
    this.pacer = new DeliveryPacer(this.options.delivery.channelSpacingMs);
  }

  async tick(now: Date): Promise<TickReport> {
    await this.makeSnapshotMonths(now);
    const planned = await planDigests(this.deps, now, this.options.graceMs);
    let enqueuedAlerts = 0;
    if (now.getTime() - this.lastAlertsAt >= this.options.alertIntervalMs) {
      enqueuedAlerts = await evaluateAlertRules(this.deps, now);
      this.lastAlertsAt = now.getTime();
    }
    // Collected before delivery, so an alert the new snapshots raise goes out in this tick.
    const collected = await this.collect(now);
    for (const workspaceId of collected.changedWorkspaces) {
      enqueuedAlerts += await evaluateAlertRules(this.deps, now, { workspaceId });
    }
    const report: TickReport = {
      collectedSnapshots: collected.snapshots,
      enqueuedDigests: planned.enqueued,
      skippedDigests: planned.skipped,
      enqueuedAlerts,
      sent: 0,
      retried: 0,
      failed: 0,
      rateLimited: 0,
    };
    const delivery = { ...this.options.delivery, owner: this.options.owner };
    const clock = clockFrom(now);
    for (let batch = 0; batch < this.options.maxBatchesPerTick; batch++) {
      const round = await deliverDue(this.deps, delivery, clock, this.pacer);
      report.sent += round.sent;
      report.retried += round.retried;
      report.failed += round.failed;
      report.rateLimited += round.rateLimited;
      if (round.claimed === 0) break;
    }
    return report;
  }

  /**
   * A server runs for months, and opening the store made the snapshot partitions around its own
   * month only: in each new UTC month the ones from it on are made too.
   */
  private async makeSnapshotMonths(now: Date): Promise<void> {
    const month = now.toISOString().slice(0, 7);
    if (month === this.monthsMadeFor) return;
    await ensureSnapshotMonthsAhead(this.deps.prisma, now);
    this.monthsMadeFor = month;
  }

  /** Tracked posts due now, through the workspaces' collectors (none configured: nothing). */
  private async collect(now: Date): Promise<{ snapshots: number; changedWorkspaces: number[] }> {
    const { collectors, prisma } = this.deps;
    if (!collectors) return { snapshots: 0, changedWorkspaces: [] };
    const options = { ...DEFAULT_COLLECTION_OPTIONS, owner: this.options.owner };
    return collectDue({ store: { prisma }, collectors }, options, now);
  }

  /** Right after an import: the workspace's alert rules see the new data at once. */
  async afterImport(workspaceId: number, now: Date): Promise<number> {
    return evaluateAlertRules(this.deps, now, { workspaceId });
  }

  /** Ticks every minute (or `tickSeconds`) until stopped; a slow tick is never overlapped by the next. */
  start(clock: () => Date = () => new Date()): ScheduledTask {
    const seconds = this.options.tickSeconds;
    return cron.schedule(
      seconds >= 60 ? "* * * * *" : `*/${seconds} * * * * *`,
      async () => {
        try {
          const report = await this.tick(clock());
          const { sent, failed, enqueuedDigests, enqueuedAlerts, collectedSnapshots } = report;
          if (sent + failed + enqueuedDigests + enqueuedAlerts + collectedSnapshots > 0)
            log.info(report, "scheduler tick");
        } catch (error) {
          log.error({ err: error }, "scheduler tick failed");
        }
      },
      { name: "longtail-scheduler", noOverlap: true },
    );
  }
}
