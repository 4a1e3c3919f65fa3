import { setTimeout as delay } from "node:timers/promises";
import type { CollectorSource } from "../collect/schedule.ts";
import type { Store } from "../store/database.ts";
import type { Sender } from "./deliver.ts";
import type { PayloadRenderer } from "./plan.ts";
import { Scheduler, type SchedulerSettings } from "./scheduler.ts";

/**
 * What a platform registers with the scheduler: how a view becomes its payload (always, so a
 * process that cannot send, such as the CLI, can still fill the outbox) and, when this process
 * is connected to it, how a claimed delivery is sent. Each platform's folder makes its own
 * (src/slack/delivery.ts, src/teams/…); src/platforms.ts lists them.
 */
export interface DeliveryPlatform {
  platform: string;
  render: PayloadRenderer;
  send: Sender | null;
}

export interface SchedulerWiring {
  /** Digests and alerts read their insights through `reads` when the store has one (a replica). */
  store: Pick<Store, "prisma" | "reads">;
  platforms: readonly DeliveryPlatform[];
  /** Owner name, grace window, delivery tuning; the defaults otherwise. */
  settings?: SchedulerSettings;
  /** How the deliverer waits for a channel's turn; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
  /** The workspaces' collectors: each tick collects the tracked posts due. */
  collectors?: CollectorSource;
}

/**
 * The scheduler with every registered platform. Rows of a platform without a sender here stay
 * in the outbox for a process that has one.
 */
export function schedulerFor({ store, platforms, settings, sleep, collectors }: SchedulerWiring): Scheduler {
  return new Scheduler(
    {
      prisma: store.prisma,
      reads: store.reads,
      renderers: Object.fromEntries(platforms.map((p) => [p.platform, p.render])),
      senders: Object.fromEntries(platforms.flatMap((p) => (p.send ? [[p.platform, p.send]] : []))),
      sleep: sleep ?? ((ms) => delay(ms)),
      collectors,
    },
    settings,
  );
}
