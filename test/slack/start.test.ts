import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { log } from "../../src/log.ts";
import { listen } from "../../src/server/http.ts";
import { createSlackApp } from "../../src/slack/app.ts";
import { prepareSlack } from "../../src/slack/start.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore } from "../support/store.ts";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  ENCRYPTION_KEY,
  SIGNING_SECRET,
  STATE_SECRET,
  TEAM_ACME,
} from "./support/harness.ts";
import { SlackApiStub } from "./support/slackApiStub.ts";
import { sendSlashCommand } from "./support/slackRequests.ts";

describe("prepareSlack", () => {
  let store: Store;
  let stub: SlackApiStub;

  beforeAll(async () => {
    log.level = "silent";
    store = await openTestStore();
    stub = new SlackApiStub([TEAM_ACME]);
    await stub.start();
  });
  afterAll(async () => {
    await stub?.stop();
    await store?.close();
  });

  const env = (token: string) =>
    loadConfig({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: token,
      SLACK_API_URL: stub.apiUrl,
      HOST: "127.0.0.1",
      PORT: "0",
    });

  it("checks the bot token and answers in the shared server", async () => {
    const slack = await prepareSlack(env(TEAM_ACME.token), store);
    const running = await listen(slack.routes, "127.0.0.1", 0);
    try {
      expect(stub.callsTo("auth.test").length).toBeGreaterThan(0);
      const ack = await sendSlashCommand(
        running.url,
        {
          command: "/longtail",
          text: "help",
          teamId: TEAM_ACME.teamId,
          responseUrl: stub.responseUrl("start"),
        },
        { signingSecret: SIGNING_SECRET },
      );
      expect(ack.status).toBe(200);
      await stub.waitFor((call) => call.path === "/respond/start");
    } finally {
      await running.stop();
    }
  });

  it("stops with a clear message, without the token, when Slack refuses the token", async () => {
    const secret = "xoxb-unknown-9999-secret";
    const error = await prepareSlack(env(secret), store).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("SLACK_BOT_TOKEN was refused by Slack (invalid_auth)");
    expect((error as Error).message).not.toContain(secret);
  });

  it("builds a Socket Mode app without calling Slack", () => {
    const before = stub.calls.length;
    const config = loadConfig({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: TEAM_ACME.token,
      SLACK_APP_TOKEN: "xapp-1-A0LONGTAIL-1-secret",
      SLACK_API_URL: stub.apiUrl,
    });
    const app = createSlackApp({ config, store });
    expect(app).toBeDefined();
    expect(stub.calls.length).toBe(before);
  });

  it("serves the OAuth install page of a Socket Mode app from the shared server, not from a second one on PORT", async () => {
    const config = loadConfig({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: "xapp-1-A0LONGTAIL-1-secret",
      SLACK_CLIENT_ID: CLIENT_ID,
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_STATE_SECRET: STATE_SECRET,
      LONGTAIL_ENCRYPTION_KEY: ENCRYPTION_KEY,
      SLACK_API_URL: stub.apiUrl,
    });
    const slack = await prepareSlack(config, store);
    expect(slack.routes.map((route) => `${route.method} ${route.path}`)).toEqual([
      "GET /slack/install",
      "GET /slack/oauth_redirect",
    ]);
    const running = await listen(slack.routes, "127.0.0.1", 0);
    try {
      const page = await fetch(`${running.url}/slack/install`);
      const html = await page.text();
      const authorizeUrl = /href="(https:\/\/slack\.com\/oauth\/v2\/authorize[^"]+)"/.exec(html)?.[1];
      expect(page.status).toBe(200);
      expect(new URL(authorizeUrl?.replace(/&amp;/g, "&") ?? "").searchParams.get("client_id")).toBe(
        CLIENT_ID,
      );
    } finally {
      await running.stop();
      await slack.stop();
    }
  });

  it("refuses to build without Slack settings", () => {
    expect(() => createSlackApp({ config: loadConfig({}), store })).toThrow(ConfigError);
  });
});
