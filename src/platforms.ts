import { configuredCollectors } from "./collect/scheduleWiring.ts";
import type { Config } from "./config.ts";
import type { Scheduler } from "./schedule/scheduler.ts";
import { type DeliveryPlatform, type SchedulerWiring, schedulerFor } from "./schedule/wiring.ts";
import { slackDelivery } from "./slack/sender.ts";
import type { Store } from "./store/database.ts";
import { teamsDelivery } from "./teams/app.ts";

/**
 * The platforms scheduled digests and alerts can go to: a new platform adds its one line here
 * (its folder's renderer and sender), and the scheduler, the CLI and main.ts pick it up.
 */
export function deliveryPlatforms(config: Config, store: Pick<Store, "prisma">): DeliveryPlatform[] {
  return [slackDelivery(config, store.prisma), teamsDelivery(config, store)];
}

/**
 * The scheduler with every platform of deliveryPlatforms, Slack's sender when Slack is configured;
 * its tick and outbox lease from the configuration unless `settings` says otherwise, collecting
 * tracked posts through the workspaces' connected platforms unless `collectors` says otherwise.
 */
export function createScheduler(
  wiring: Omit<SchedulerWiring, "platforms"> & { config: Config; store: Pick<Store, "prisma"> },
): Scheduler {
  const { config, settings, ...rest } = wiring;
  const configured = {
    tickSeconds: config.LONGTAIL_TICK_SECONDS,
    ...settings,
    delivery: { leaseMs: config.LONGTAIL_OUTBOX_LEASE_SECONDS * 1000, ...settings?.delivery },
  };
  return schedulerFor({
    collectors: configuredCollectors(config, wiring.store),
    ...rest,
    settings: configured,
    platforms: deliveryPlatforms(config, wiring.store),
  });
}
