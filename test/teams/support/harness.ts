import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServiceClientCredentialsFactory } from "botframework-connector";
import { loadConfig } from "../../../src/config.ts";
import type { Conversation } from "../../../src/conversation/converse.ts";
import type { Store } from "../../../src/store/database.ts";
import { createTeamsApp, type TeamsApp } from "../../../src/teams/app.ts";
import { type TeamsSettings, teamsSettings } from "../../../src/teams/config.ts";
import { MESSAGES_PATH } from "../../../src/teams/handler.ts";
import { openTestStore } from "../../support/store.ts";
import { ConnectorStub } from "./connectorStub.ts";

export const NOW = new Date("2026-03-16T10:00:00Z");

export interface TeamsHarness {
  store: Store;
  connector: ConnectorStub;
  app: TeamsApp;
  settings: TeamsSettings;
  /** http://127.0.0.1:port/api/messages */
  messagesUrl: string;
  post(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Teams variables (MicrosoftAppId, TEAMS_TENANTS…); none: local mode. */
  env?: Record<string, string>;
  workspace?: string;
  prepare?: (store: Store) => Promise<void>;
  credentialsFactory?: ServiceClientCredentialsFactory;
  /** Replaces the settings' botbuilder keys (parameterised authentication). */
  botFramework?: Record<string, string>;
  /** The bot's clock; NOW otherwise. */
  now?: Date;
  /** The conversation core the bot answers with; one with the default queue otherwise. */
  conversation?: (store: Store) => Conversation;
}

/** The real Teams app (botbuilder CloudAdapter) on 127.0.0.1:0, its Bot Connector on a loopback stub. */
export async function startTeamsHarness(options: HarnessOptions = {}): Promise<TeamsHarness> {
  const store = await openTestStore();
  await options.prepare?.(store);
  const connector = await new ConnectorStub().start();
  const config = loadConfig({ LONGTAIL_WORKSPACE: options.workspace ?? "acme" });
  const parsed = teamsSettings(config, options.env ?? {});
  if (!parsed) throw new Error("Teams is not configured");
  const settings = options.botFramework
    ? { ...parsed, botFramework: { ...parsed.botFramework, ...options.botFramework } }
    : parsed;
  const app = createTeamsApp({
    store,
    settings,
    now: () => options.now ?? NOW,
    credentialsFactory: options.credentialsFactory,
    conversation: options.conversation?.(store),
  });
  const server: Server = createServer((req, res) => void app.handleMessages(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const messagesUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${MESSAGES_PATH}`;
  return {
    store,
    connector,
    app,
    settings,
    messagesUrl,
    async post(activity, headers = {}) {
      const response = await fetch(messagesUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(activity),
      });
      return { status: response.status, text: await response.text() };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connector.close();
      await store.close();
    },
  };
}
