import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import type { CloudAdapter } from "botbuilder";
import type { Config } from "../config.ts";
import { type Conversation, type ConversationStore, createConversation } from "../conversation/converse.ts";
import { renderTeams, teamsChartOption } from "../render/teams.ts";
import type { Sender } from "../schedule/deliver.ts";
import type { PayloadRenderer } from "../schedule/plan.ts";
import type { DeliveryPlatform } from "../schedule/wiring.ts";
import { createTeamsAdapter, type TeamsAdapterOptions } from "./adapter.ts";
import { LongtailTeamsBot } from "./bot.ts";
import { type TeamsSettings, teamsSettings } from "./config.ts";
import { createTeamsMessagesHandler } from "./handler.ts";
import { TeamsPacer } from "./pacing.ts";
import { teamsSender } from "./sender.ts";

export interface TeamsAppDeps extends TeamsAdapterOptions {
  store: ConversationStore;
  settings: TeamsSettings;
  /** The process's one conversation core (its answer queue is shared with Slack); a new one otherwise. */
  conversation?: Conversation;
  now?: () => Date;
}

/** Longtail's Teams side: what the HTTP server mounts and what the scheduler sends through. */
export interface TeamsApp {
  adapter: CloudAdapter;
  /** POST /api/messages (MESSAGES_PATH). */
  handleMessages: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The outbox's sender for platform "teams"; `sleep` waits out short pacing gaps. */
  sender(sleep: (ms: number) => Promise<void>): Sender;
}

export function createTeamsApp(deps: TeamsAppDeps): TeamsApp {
  const { store, settings } = deps;
  const adapter = createTeamsAdapter(settings, deps);
  const bot = new LongtailTeamsBot({
    store,
    conversation: deps.conversation ?? createConversation(store),
    settings,
    adapter,
    now: deps.now ?? (() => new Date()),
  });
  const pacer = new TeamsPacer();
  return {
    adapter,
    handleMessages: createTeamsMessagesHandler({ adapter, bot, loopbackOnly: settings.auth === "local" }),
    sender: (sleep) => teamsSender({ adapter, settings, prisma: store.prisma, pacer, sleep }),
  };
}

/**
 * Teams as a platform of scheduled digests and alerts (src/platforms.ts): rendered always, so a
 * process without Teams can still fill the outbox; sent when Teams is configured here, through an
 * adapter of its own (proactive sends need no inbound request).
 */
export function teamsDelivery(
  config: Config,
  store: Pick<ConversationStore, "prisma">,
  env = process.env,
): DeliveryPlatform {
  const settings = teamsSettings(config, env);
  const send = settings
    ? teamsSender({
        adapter: createTeamsAdapter(settings),
        settings,
        prisma: store.prisma,
        pacer: new TeamsPacer(),
        sleep: (ms) => delay(ms),
      })
    : null;
  return { platform: "teams", render: teamsPayloadRenderer(config.QUICKCHART_HOST), send };
}

/**
 * Scheduled posts as Adaptive Cards: the chart as a QuickChart image link, or for a workspace that
 * keeps its charts private, Teams' native chart elements drawn from the same data.
 */
export function teamsPayloadRenderer(chartHost?: string): PayloadRenderer {
  return (view) =>
    renderTeams(view, {
      chart: teamsChartOption("workspace" in view && view.workspace.privateCharts, chartHost),
    });
}
