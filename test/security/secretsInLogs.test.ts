import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requiredBotScopes } from "../../src/slack/registry.ts";
import { type Running, startLongtail } from "../reliability/harness.ts";
import { SlackApiStub, type StubGrant } from "../slack/support/slackApiStub.ts";
import { sendEvent, sendSlashCommand } from "../slack/support/slackRequests.ts";
import { personalMessage } from "../teams/support/activities.ts";
import { ConnectorStub } from "../teams/support/connectorStub.ts";

/** Every secret the session uses, each made for this run so a hit cannot be a coincidence. */
const SECRETS = {
  signingSecret: randomBytes(16).toString("hex"),
  clientSecret: randomBytes(16).toString("hex"),
  stateSecret: `state-secret-${randomBytes(12).toString("hex")}`,
  encryptionKey: randomBytes(32).toString("hex"),
  botToken: `xoxb-${randomBytes(6).toString("hex")}-${randomBytes(10).toString("hex")}`,
  oauthCode: `code-${randomBytes(10).toString("hex")}`,
  teamsAppPassword: `teams~${randomBytes(15).toString("base64url")}`,
  teamsBearer: `eyJ${randomBytes(24).toString("base64url")}.eyJ${randomBytes(24).toString("base64url")}.${randomBytes(24).toString("base64url")}`,
};
/** Words only the people's messages contain: a debug log line carries ids, never these. */
const MESSAGE_WORDS = ["zebraquartz", "sapphireowl", "teamsmarmalade"];

const GRANT: StubGrant = {
  code: SECRETS.oauthCode,
  token: SECRETS.botToken,
  teamId: "T0SECRET",
  teamName: "Secretive Inc",
  botId: "B0SECRET",
  botUserId: "U0BOTSECRET",
  scopes: requiredBotScopes(),
};

describe("a full session at LOG_LEVEL=trace logs no secret and no message body (a real process)", () => {
  const slack = new SlackApiStub([], [GRANT]);
  let running: Running;
  let dataDir: string;
  let state = "";
  let output = "";

  beforeAll(async () => {
    await slack.start();
    dataDir = mkdtempSync(join(tmpdir(), "longtail-secrets-"));
    running = await startLongtail({
      LOG_LEVEL: "trace",
      LONGTAIL_DATA_DIR: dataDir,
      SLACK_SIGNING_SECRET: SECRETS.signingSecret,
      SLACK_CLIENT_ID: "1111111111.2222222222",
      SLACK_CLIENT_SECRET: SECRETS.clientSecret,
      SLACK_STATE_SECRET: SECRETS.stateSecret,
      LONGTAIL_ENCRYPTION_KEY: SECRETS.encryptionKey,
      SLACK_API_URL: slack.apiUrl,
      MicrosoftAppId: randomUUID(),
      MicrosoftAppPassword: SECRETS.teamsAppPassword,
      MicrosoftAppTenantId: randomUUID(),
    });
    const sign = { signingSecret: SECRETS.signingSecret };

    // "Add to Slack": the install page, Slack's redirect back with the code and the state.
    const page = await fetch(`${running.url}/slack/install`, { redirect: "manual" });
    const html = await page.text();
    const authorizeUrl = new URL(
      /href="(https:\/\/slack\.com\/oauth[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&") ?? "",
    );
    state = authorizeUrl.searchParams.get("state") ?? "";
    const cookie = page.headers
      .getSetCookie()
      .map((value) => value.split(";")[0])
      .join("; ");
    const redirect = await fetch(
      `${running.url}/slack/oauth_redirect?code=${SECRETS.oauthCode}&state=${encodeURIComponent(state)}`,
      { headers: { cookie }, redirect: "manual" },
    );
    expect([
      redirect.status,
      (await redirect.text()).includes("Longtail is installed in Secretive Inc"),
    ]).toEqual([200, true]);

    // Slash commands and a mention in the installed workspace, answered with the installed token.
    for (const [i, text] of ["@zebraquartz", "top 5 creators by clicks zebraquartz"].entries()) {
      const ack = await sendSlashCommand(
        running.url,
        { command: "/creator", text, teamId: GRANT.teamId, responseUrl: slack.responseUrl(`c${i}`) },
        sign,
      );
      expect(ack.status).toBe(200);
      await slack.waitFor((call) => call.path === `/respond/c${i}`, 30_000);
    }
    const mention = await sendEvent(
      running.url,
      GRANT.teamId,
      {
        type: "app_mention",
        user: "U0MARKETER",
        text: `<@${GRANT.botUserId}> how is sapphireowl doing?`,
        ts: "1700000300.000100",
        channel: "C0GENERAL",
      },
      sign,
    );
    expect(mention.status).toBe(200);
    const answer = await slack.waitForMethod("chat.postMessage", 30_000);
    expect(answer.token).toBe(SECRETS.botToken);

    // A Teams activity with a bearer token Microsoft never issued: refused, and the token not logged.
    const teams = await fetch(`${running.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${SECRETS.teamsBearer}` },
      body: JSON.stringify({
        type: "message",
        id: "1",
        text: "top 5 creators teamsmarmalade",
        channelId: "msteams",
        serviceUrl: "https://smba.trafficmanager.net/emea/",
        from: { id: "29:user" },
        recipient: { id: "28:bot" },
        conversation: { id: "a:conversation" },
        channelData: { tenant: { id: randomUUID() } },
      }),
    });
    expect(teams.status).toBe(401);

    running.child.kill("SIGTERM");
    await running.exited;
    output = running.output();
  }, 120_000);

  afterAll(async () => {
    if (running?.child.exitCode === null) running.child.kill("SIGKILL");
    await slack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("wrote trace and debug lines for the session", () => {
    const levels = output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => (JSON.parse(line) as { level: number }).level);
    expect(levels.filter((level) => level <= 20).length).toBeGreaterThan(0);
  });

  it.each(Object.entries(SECRETS))("never logs the %s", (_name, secret) => {
    expect(output).not.toContain(secret);
  });

  it("never logs the OAuth state", () => {
    expect(state.length).toBeGreaterThan(20);
    expect(output).not.toContain(state);
  });

  it.each(MESSAGE_WORDS)("never logs what people wrote (%s)", (word) => {
    expect(output).not.toContain(word);
  });
});

describe("a Teams conversation at LOG_LEVEL=trace logs no message body (a real process, Teams' local mode)", () => {
  const connector = new ConnectorStub();
  let running: Running;
  let dataDir: string;
  let output = "";

  beforeAll(async () => {
    await connector.start();
    dataDir = mkdtempSync(join(tmpdir(), "longtail-secrets-teams-"));
    // No chat credentials: local mode, whose /api/messages answers unauthenticated on loopback.
    running = await startLongtail({ LOG_LEVEL: "trace", LONGTAIL_DATA_DIR: dataDir });
    for (const text of ["creator @teamsmarmalade", "top 5 creators by clicks teamsmarmalade"]) {
      const before = connector.posts.length;
      const response = await fetch(`${running.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(personalMessage(text, { serviceUrl: connector.serviceUrl })),
      });
      expect(response.status).toBe(200);
      await connector.waitForPosts(before + 1, 30_000);
    }
    running.child.kill("SIGTERM");
    await running.exited;
    output = running.output();
  }, 120_000);

  afterAll(async () => {
    if (running?.child.exitCode === null) running.child.kill("SIGKILL");
    await connector.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answered both messages and logged the requests", () => {
    expect(connector.posts).toHaveLength(2);
    expect(output).toContain('"path":"/api/messages"');
  });

  it("never logs what was written, nor the answer", () => {
    expect(output).not.toContain("teamsmarmalade");
    expect(output).not.toContain("top 5 creators");
  });
});
