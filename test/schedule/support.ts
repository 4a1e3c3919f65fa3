import { parseCommand } from "../../src/commands/parse.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import type { InsightContext } from "../../src/insights/context.ts";
import { log } from "../../src/log.ts";
import { createScheduler } from "../../src/platforms.ts";
import { handleScheduleIntent, isScheduleIntent } from "../../src/schedule/channelSettings.ts";
import type { Scheduler, SchedulerSettings } from "../../src/schedule/scheduler.ts";
import { PrismaInstallationStore } from "../../src/slack/installationStore.ts";
import type { Store } from "../../src/store/database.ts";
import { ensureWorkspace } from "../../src/store/workspaces.ts";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  ENCRYPTION_KEY,
  SIGNING_SECRET,
  STATE_SECRET,
  TEAM_ACME,
} from "../slack/support/harness.ts";
import { SlackApiStub, type StubTeam } from "../slack/support/slackApiStub.ts";
import { openTestStore } from "../support/store.ts";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The deliverer's waits, recorded instead of waited: tests never wait for real time. */
export const noWait = async (_ms: number): Promise<void> => {};

/** Logs stay out of the test output unless LONGTAIL_TEST_LOGS is set. */
export function quietLogs(): void {
  if (!process.env.LONGTAIL_TEST_LOGS) log.level = "silent";
}

/** Slack in single-workspace mode, its Web API on the loopback stub. */
export function slackConfig(stub: SlackApiStub, workspaceSlug: string): Config {
  return loadConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: TEAM_ACME.token,
    SLACK_API_URL: stub.apiUrl,
    LONGTAIL_WORKSPACE: workspaceSlug,
  });
}

/** Slack through OAuth (many workspaces, each with its sealed installation), its Web API on the stub. */
export function oauthSlackConfig(stub: SlackApiStub): Config {
  return loadConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: STATE_SECRET,
    LONGTAIL_ENCRYPTION_KEY: ENCRYPTION_KEY,
    SLACK_API_URL: stub.apiUrl,
  });
}

/** What a finished OAuth install leaves behind: the team's sealed installation and its workspace. */
export async function installSlackTeam(store: Store, team: StubTeam): Promise<void> {
  const installations = new PrismaInstallationStore(store.prisma, Buffer.from(ENCRYPTION_KEY, "base64"));
  await installations.storeInstallation({
    team: { id: team.teamId, name: team.teamName },
    enterprise: undefined,
    user: { id: "U0INSTALLER", token: undefined, scopes: undefined },
    bot: { id: team.botId, userId: team.botUserId, token: team.token, scopes: ["chat:write"] },
    isEnterpriseInstall: false,
    authVersion: "v2",
  });
}

/** A store, the Slack stub and a workspace, for schedulers made with the production wiring. */
export interface ScheduleWorld {
  store: Store;
  stub: SlackApiStub;
  config: Config;
  ctx: InsightContext;
  /** A replica: the real scheduler, Slack sender and renderer; only its waits are fake. */
  scheduler(owner: string, settings?: SchedulerSettings): Scheduler;
  close(): Promise<void>;
}

export async function openScheduleWorld(
  options: { workspace?: string; prepare?: (store: Store) => Promise<void> } = {},
): Promise<ScheduleWorld> {
  quietLogs();
  const store = await openTestStore();
  const stub = new SlackApiStub([TEAM_ACME]);
  await stub.start();
  await options.prepare?.(store);
  const slug = options.workspace ?? "acme";
  const workspace = await ensureWorkspace(store.prisma, slug);
  const config = slackConfig(stub, slug);
  return {
    store,
    stub,
    config,
    ctx: { prisma: store.prisma, workspace },
    scheduler: (owner, settings = {}) =>
      createScheduler({ config, store, settings: { ...settings, owner }, sleep: noWait }),
    async close() {
      await stub.stop();
      await store.close();
    },
  };
}

/** What a person types in a channel: "subscribe weekly mon 09:00", "alert longevity drop 25% …". */
export async function typeInChannel(
  ctx: InsightContext,
  text: string,
  channelId: string,
  now: Date,
  userTimezone?: string,
) {
  const intent = parseCommand(text);
  if (!isScheduleIntent(intent)) throw new Error(`not a schedule intent: ${intent.kind}`);
  const answer = await handleScheduleIntent(ctx, intent, { platform: "slack", channelId, userTimezone }, now);
  if (answer.kind !== "message" || answer.tone !== "success")
    throw new Error(`"${text}" was refused: ${JSON.stringify(answer)}`);
  return answer;
}
