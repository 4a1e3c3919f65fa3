import { randomUUID } from "node:crypto";
import cron, { type ScheduledTask } from "node-cron";
import { log } from "../log.ts";
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
}

/** What a caller may set; the rest are the defaults. */
export type SchedulerSettings = Partial<Omit<SchedulerOptions, "delivery">> & {
  delivery?: Partial<SchedulerOptions["delivery"]>;
};

export interface TickReport {
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
 * `tick(now)` does one round and is what tests drive; `start()` runs it every minute.
 */
export class Scheduler {
  private readonly options: SchedulerOptions;
  private readonly pacer: DeliveryPacer;
  private lastAlertsAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: PlanDeps & DeliveryDeps,
    settings: SchedulerSettings = {},
  ) {
    this.options = {
      owner: settings.owner ?? `replica-${randomUUID()}`,
      graceMs: settings.graceMs ?? DEFAULT_GRACE_MS,
      alertIntervalMs: settings.alertIntervalMs ?? 3_600_000,
      maxBatchesPerTick: settings.maxBatchesPerTick ?? 50,
      delivery: { ...DEFAULT_DELIVERY_OPTIONS, ...settings.delivery },
    };
    this.pacer = new DeliveryPacer(this.options.delivery.channelSpacingMs);
  }

  async tick(now: Date): Promise<TickReport> {
    const planned = await planDigests(this.deps, now, this.options.graceMs);
    let enqueuedAlerts = 0;
    if (now.getTime() - this.lastAlertsAt >= this.options.alertIntervalMs) {
      enqueuedAlerts = await evaluateAlertRules(this.deps, now);
      this.lastAlertsAt = now.getTime();
    }
    const report: TickReport = {
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

  /** Right after an import: the workspace's alert rules see the new data at once. */
  async afterImport(workspaceId: number, now: Date): Promise<number> {
    return evaluateAlertRules(this.deps, now, { workspaceId });
  }

  /** Ticks every minute until stopped; a slow tick is never overlapped by the next. */
  start(clock: () => Date = () => new Date()): ScheduledTask {
    return cron.schedule(
      "* * * * *",
      async () => {
        try {
          const report = await this.tick(clock());
          if (report.sent + report.failed + report.enqueuedDigests + report.enqueuedAlerts > 0)
            log.info(report, "scheduler tick");
        } catch (error) {
          log.error({ err: error }, "scheduler tick failed");
        }
      },
      { name: "longtail-scheduler", noOverlap: true },
    );
  }
}
