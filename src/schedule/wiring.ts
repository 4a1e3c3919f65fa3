import { setTimeout as delay } from "node:timers/promises";
import { type Config, slackSettings } from "../config.ts";
import { slackPayloadRenderer, slackSender } from "../slack/sender.ts";
import type { Store } from "../store/database.ts";
import { Scheduler, type SchedulerSettings } from "./scheduler.ts";

export interface SchedulerWiring {
  config: Config;
  store: Store;
  /** Owner name, grace window, delivery tuning; the defaults otherwise. */
  settings?: SchedulerSettings;
  /** How the deliverer waits for a channel's turn; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The scheduler with every platform this process is connected to: digests and alerts are
 * rendered for Slack always (so a process without Slack, such as the CLI, can still put them in
 * the outbox) and sent to Slack when Slack is configured. Rows of a platform without a sender
 * here stay in the outbox for a process that has one.
 */
export function createScheduler({ config, store, settings, sleep }: SchedulerWiring): Scheduler {
  const slack = slackSettings(config);
  return new Scheduler(
    {
      prisma: store.prisma,
      renderers: { slack: slackPayloadRenderer(config.QUICKCHART_HOST) },
      senders: slack ? { slack: slackSender(slack, store.prisma) } : {},
      sleep: sleep ?? ((ms) => delay(ms)),
    },
    settings,
  );
}
