import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_INSTALLED_MESSAGE } from "../../src/slack/authorize.ts";
import { PrismaInstallationStore } from "../../src/slack/installationStore.ts";
import { REMOVED_FROM_SLACK } from "../../src/slack/listeners/events/forgetRemovedTeam.ts";
import type { Store } from "../../src/store/database.ts";
import { enqueueDelivery } from "../../src/store/outbox.ts";
import { upsertAlertRule, upsertSubscription } from "../../src/store/subscriptions.ts";
import { ensureWorkspace } from "../../src/store/workspaces.ts";
import { ENCRYPTION_KEY, type Harness, NOW, startHarness, TEAM_ACME } from "./support/harness.ts";
import type { StubGrant } from "./support/slackApiStub.ts";
import { sendEvent, sendSlashCommand } from "./support/slackRequests.ts";

const GLOBEX: StubGrant = {
  code: "code-globex",
  token: "xoxb-globex-1111-secret-token",
  teamId: "T0GLOBEX",
  teamName: "Globex",
  botId: "B0GLOBEX",
  botUserId: "U0BOTGLOBEX",
  scopes: [],
};
const INITECH: StubGrant = {
  ...GLOBEX,
  code: "code-initech",
  token: "xoxb-initech-2222-secret-token",
  teamId: "T0INITECH",
  teamName: "Initech",
  botId: "B0INITECH",
  botUserId: "U0BOTINITECH",
};

/** A team as "Add to Slack" leaves it: an installation, a workspace, a digest, an alert, an owed message. */
async function installedWithDeliveries(store: Store, team: StubGrant): Promise<number> {
  const installations = new PrismaInstallationStore(store.prisma, Buffer.from(ENCRYPTION_KEY, "base64"));
  await installations.storeInstallation({
    team: { id: team.teamId, name: team.teamName },
    enterprise: undefined,
    bot: { token: team.token, id: team.botId, userId: team.botUserId, scopes: [] },
    user: { token: undefined, scopes: undefined, id: "U0ADMIN" },
    isEnterpriseInstall: false,
    tokenType: "bot",
  });
  const { workspaceSlug } = await installations.open({ teamId: team.teamId, isEnterpriseInstall: false });
  const id = (await store.prisma.workspace.findUniqueOrThrow({ where: { slug: workspaceSlug } })).id;
  await withDeliveries(store, id, team.teamId);
  return id;
}

/** A digest in Slack and in Teams, an alert in Slack, and a message owed to each. */
async function withDeliveries(store: Store, id: number, teamId: string): Promise<void> {
  const slack = { platform: "slack" as const, channelId: "C0GENERAL" };
  const teams = { platform: "teams" as const, channelId: "19:general@thread.tacv2" };
  const schedule = {
    cron: "0 9 * * 1",
    scheduleLabel: "weekly mon 09:00",
    timezone: "UTC",
    campaignId: null,
    nextRunAt: NOW,
  };
  await upsertSubscription(store.prisma, id, slack, schedule);
  await upsertSubscription(store.prisma, id, teams, schedule);
  await upsertAlertRule(store.prisma, id, slack, {
    kind: "longevityDrop",
    campaignId: null,
    threshold: 0.25,
  });
  const owed = {
    workspaceId: id,
    platform: "slack",
    channelId: "C0GENERAL",
    payload: { text: "digest" },
    dueAt: NOW,
  };
  await enqueueDelivery(store.prisma, { ...owed, dedupeKey: `digest:${teamId}:1` });
  await enqueueDelivery(store.prisma, {
    ...owed,
    dedupeKey: `digest:${teamId}:teams`,
    platform: "teams",
    channelId: teams.channelId,
  });
}

/** What Slack-side state the workspace has left, as the scheduler and the installation store see it. */
async function slackStateOf(store: Store, workspaceId: number) {
  const where = { workspaceId };
  const select = { platform: true, active: true, disabledReason: true } as const;
  return {
    installations: await store.prisma.slackInstallation.count({ where }),
    subscriptions: await store.prisma.subscription.findMany({ where, select, orderBy: { platform: "asc" } }),
    rules: await store.prisma.alertRule.findMany({ where, select }),
    deliveries: await store.prisma.delivery.findMany({
      where,
      select: { platform: true, status: true, lastError: true },
      orderBy: { platform: "asc" },
    }),
  };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}

const REMOVED = {
  installations: 0,
  subscriptions: [
    { platform: "slack", active: false, disabledReason: REMOVED_FROM_SLACK },
    { platform: "teams", active: true, disabledReason: null },
  ],
  rules: [{ platform: "slack", active: false, disabledReason: REMOVED_FROM_SLACK }],
  deliveries: [
    { platform: "slack", status: "skipped", lastError: REMOVED_FROM_SLACK },
    { platform: "teams", status: "pending", lastError: null },
  ],
};
const UNTOUCHED = {
  installations: 1,
  subscriptions: [
    { platform: "slack", active: true, disabledReason: null },
    { platform: "teams", active: true, disabledReason: null },
  ],
  rules: [{ platform: "slack", active: true, disabledReason: null }],
  deliveries: [
    { platform: "slack", status: "pending", lastError: null },
    { platform: "teams", status: "pending", lastError: null },
  ],
};

describe("Slack removes Longtail from a team (app_uninstalled, tokens_revoked over signed HTTP)", () => {
  let h: Harness;
  let globex: number;
  let initech: number;

  beforeAll(async () => {
    h = await startHarness({
      mode: "oauth",
      teams: [],
      grants: [GLOBEX, INITECH],
      prepare: async (store) => {
        globex = await installedWithDeliveries(store, GLOBEX);
        initech = await installedWithDeliveries(store, INITECH);
      },
    });
  });
  afterAll(async () => h?.close());

  it("app_uninstalled deletes the team's tokens, stops its Slack digests and alerts with the reason, skips what was owed; other teams and Teams keep theirs", async () => {
    const sent = await sendEvent(
      h.baseUrl,
      GLOBEX.teamId,
      { type: "app_uninstalled", event_ts: "1700000000.000100" },
      h.sign,
    );
    expect(sent.status).toBe(200);
    const state = await eventually(
      () => slackStateOf(h.store, globex),
      (now) => now.installations === 0,
    );
    expect(state).toEqual(REMOVED);
    expect(await slackStateOf(h.store, initech)).toEqual(UNTOUCHED);

    const id = randomUUID();
    const fields = {
      command: "/longtail",
      text: "help",
      teamId: GLOBEX.teamId,
      responseUrl: h.stub.responseUrl(id),
    };
    const refused = await sendSlashCommand(h.baseUrl, fields, h.sign);
    expect(JSON.parse(refused.text)).toEqual({ response_type: "ephemeral", text: NOT_INSTALLED_MESSAGE });
  });

  it("tokens_revoked for people's tokens only changes nothing; for the bot's it removes the team like an uninstall", async () => {
    const people = { type: "tokens_revoked", tokens: { oauth: ["U0ADMIN"] }, event_ts: "1700000000.000200" };
    expect((await sendEvent(h.baseUrl, INITECH.teamId, people, h.sign)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await slackStateOf(h.store, initech)).toEqual(UNTOUCHED);

    const bot = {
      type: "tokens_revoked",
      tokens: { bot: [INITECH.botUserId] },
      event_ts: "1700000000.000300",
    };
    expect((await sendEvent(h.baseUrl, INITECH.teamId, bot, h.sign)).status).toBe(200);
    const state = await eventually(
      () => slackStateOf(h.store, initech),
      (now) => now.installations === 0,
    );
    expect(state).toEqual(REMOVED);
  });
});

describe("Slack removes Longtail from the one configured workspace (SLACK_BOT_TOKEN)", () => {
  let h: Harness;
  let acme: number;

  beforeAll(async () => {
    h = await startHarness({
      mode: "single",
      workspace: "acme",
      prepare: async (store) => {
        acme = (await ensureWorkspace(store.prisma, "acme")).id;
        await withDeliveries(store, acme, TEAM_ACME.teamId);
      },
    });
  });
  afterAll(async () => h?.close());

  it("app_uninstalled stops the workspace's Slack digests and alerts with the reason and skips what was owed; Teams keeps its own", async () => {
    const sent = await sendEvent(
      h.baseUrl,
      TEAM_ACME.teamId,
      { type: "app_uninstalled", event_ts: "1700000000.000400" },
      h.sign,
    );
    expect(sent.status).toBe(200);
    const state = await eventually(
      () => slackStateOf(h.store, acme),
      // The deliveries are the last thing the removal writes.
      (now) => now.deliveries.some((delivery) => delivery.status === "skipped"),
    );
    expect(state).toEqual(REMOVED);
  });
});
