import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Config, loadConfig } from "../../../src/config.ts";
import type { Conversation } from "../../../src/conversation/converse.ts";
import { log } from "../../../src/log.ts";
import { createSlackApp } from "../../../src/slack/app.ts";
import type { LongtailApp } from "../../../src/slack/deps.ts";
import type { Store } from "../../../src/store/database.ts";
import { openTestStore } from "../../support/store.ts";
import { SlackApiStub, type StubGrant, type StubTeam } from "./slackApiStub.ts";
import type { SignOptions } from "./slackRequests.ts";

export const SIGNING_SECRET = "8f742231b10e8888abcd99000000085a";
export const CLIENT_ID = "1111111111.2222222222";
export const CLIENT_SECRET = "0123456789abcdef0123456789abcdef";
export const STATE_SECRET = "a-state-secret-for-tests-only";
export const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
/** Every answer is computed as of this moment. */
export const NOW = new Date("2026-03-02T09:00:00Z");

export const TEAM_ACME: StubTeam = {
  token: "xoxb-acme-0000-secret-token",
  teamId: "T0ACME",
  teamName: "Acme",
  botId: "B0ACME",
  botUserId: "U0BOTACME",
};

export interface Harness {
  store: Store;
  stub: SlackApiStub;
  app: LongtailApp;
  baseUrl: string;
  config: Config;
  sign: SignOptions;
  close(): Promise<void>;
}

export interface HarnessOptions {
  mode: "single" | "oauth";
  teams?: StubTeam[];
  grants?: StubGrant[];
  /** Single-workspace mode: the workspace the team maps to. */
  workspace?: string;
  /** Fill the store before the app starts. */
  prepare?: (store: Store) => Promise<void>;
  env?: Record<string, string>;
  /** The conversation core the app answers with; one with the default queue otherwise. */
  conversation?: (store: Store) => Conversation;
  /** The store to answer from; a fresh test store (openTestStore) otherwise. */
  openStore?: () => Promise<Store>;
}

/** The real Bolt app on 127.0.0.1:0, a fresh store, and a loopback Slack API stub. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  if (!process.env.LONGTAIL_TEST_LOGS) log.level = "silent";
  const store = await (options.openStore ?? openTestStore)();
  const stub = new SlackApiStub(options.teams ?? [TEAM_ACME], options.grants ?? []);
  await stub.start();
  await options.prepare?.(store);
  const modeEnv: Record<string, string> =
    options.mode === "single"
      ? {
          SLACK_BOT_TOKEN: (options.teams ?? [TEAM_ACME])[0]?.token ?? "",
          LONGTAIL_WORKSPACE: options.workspace ?? "demo",
        }
      : {
          SLACK_CLIENT_ID: CLIENT_ID,
          SLACK_CLIENT_SECRET: CLIENT_SECRET,
          SLACK_STATE_SECRET: STATE_SECRET,
          LONGTAIL_ENCRYPTION_KEY: ENCRYPTION_KEY,
        };
  const config = loadConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: stub.apiUrl,
    HOST: "127.0.0.1",
    PORT: "0",
    ...modeEnv,
    ...options.env,
  });
  const app = createSlackApp({
    config,
    store,
    now: () => NOW,
    conversation: options.conversation?.(store),
    clientOptions: { retryConfig: { retries: 0 } },
  });
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
  const { port } = server.address() as AddressInfo;
  return {
    store,
    stub,
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    sign: { signingSecret: SIGNING_SECRET },
    async close() {
      await app.stop();
      await stub.stop();
      await store.close();
    },
  };
}
