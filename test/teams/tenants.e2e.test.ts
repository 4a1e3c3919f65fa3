import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { demoCreators, seedDemo } from "../../src/ingest/demo.ts";
import { findWorkspace } from "../../src/store/workspaces.ts";
import { TENANT_REFUSED } from "../../src/teams/bot.ts";
import { quietLogs } from "../schedule/support.ts";
import {
  channelMention,
  personalMessage,
  TENANT_ACME,
  TENANT_BETA,
  TENANT_UNKNOWN,
} from "./support/activities.ts";
import { cardText, expectValidTeamsCard } from "./support/cards.ts";
import { NOW, startTeamsHarness, type TeamsHarness } from "./support/harness.ts";

const acmeCreators = demoCreators({ now: NOW, creators: 12 });
const anna = acmeCreators[0]?.handle ?? "";

/** Every kind of question, what tenant Beta (a workspace with no data) sees, and what Acme sees. */
const QUESTIONS: [string, string, string][] = [
  [`creator @${anna}`, `I don't know @${anna}.`, "Direct — easy to count"],
  ["campaign spring-launch", "I don't know the campaign “spring-launch”.", "Campaign spring-launch"],
  ["top 5 creators by longevity", "No creators yet in workspace beta", "Top 5 creators by Longevity"],
  ["compare micro vs macro", "No posts to compare yet.", "Tiers compared"],
  ["digest", "workspace beta", "workspace acme"],
  ["alerts", "on 0 posts", "Longevity"],
  ["help", "How to ask Longtail", "How to ask Longtail"],
  ["what is the meaning of life", "I didn't understand", "I didn't understand"],
];

describe("Teams tenants: each maps to exactly one workspace (TEAMS_TENANTS)", () => {
  let h: TeamsHarness;

  beforeAll(async () => {
    quietLogs();
    h = await startTeamsHarness({
      env: { TEAMS_TENANTS: `${TENANT_ACME}=acme, ${TENANT_BETA}=beta` },
      prepare: async (store) => {
        await seedDemo(store, { now: NOW, creators: 12, slug: "acme" });
      },
    });
  });
  afterAll(async () => h?.close());
  afterEach(() => h.connector.clear());

  async function cardFor(activity: unknown) {
    expect((await h.post(activity)).status).toBe(200);
    const [posted] = await h.connector.waitForPosts(1);
    h.connector.clear();
    return posted?.activity;
  }

  it.each(QUESTIONS)("%s from tenant Beta sees only Beta's workspace", async (words, expected) => {
    const activity = await cardFor(
      personalMessage(words, { serviceUrl: h.connector.serviceUrl, tenantId: TENANT_BETA }),
    );
    const card = activity.attachments[0].content;
    expectValidTeamsCard(card);
    const text = cardText(card);
    expect(text).toContain(expected);
    // Not one of Acme's creators, except the one the question named itself.
    for (const creator of acmeCreators.filter((c) => c.handle !== anna))
      expect(text).not.toContain(creator.handle);
  });

  it.each(QUESTIONS)("%s from tenant Acme answers from Acme's data", async (words, _beta, expected) => {
    const activity = await cardFor(
      personalMessage(words, { serviceUrl: h.connector.serviceUrl, tenantId: TENANT_ACME }),
    );
    expect(cardText(activity.attachments[0].content)).toContain(expected);
  });

  it("subscriptions and alert rules typed in a tenant belong to its workspace", async () => {
    await cardFor(
      channelMention("subscribe weekly mon 09:00", {
        serviceUrl: h.connector.serviceUrl,
        tenantId: TENANT_BETA,
      }),
    );
    await cardFor(
      channelMention("alert longevity drop 30%", {
        serviceUrl: h.connector.serviceUrl,
        tenantId: TENANT_BETA,
      }),
    );
    const beta = await findWorkspace(h.store.prisma, "beta");
    const subscriptions = await h.store.prisma.subscription.findMany({ select: { workspaceId: true } });
    const rules = await h.store.prisma.alertRule.findMany({ select: { workspaceId: true } });
    expect(subscriptions).toEqual([{ workspaceId: beta?.id }]);
    expect(rules).toEqual([{ workspaceId: beta?.id }]);
    const conversations = await h.store.prisma.teamsConversation.findMany({
      where: { tenantId: TENANT_BETA },
      select: { workspaceId: true },
    });
    expect(new Set(conversations.map((row) => row.workspaceId))).toEqual(new Set([beta?.id]));
  });

  it("lists each tenant's own subscriptions only", async () => {
    await cardFor(
      channelMention("subscribe daily 07:00", { serviceUrl: h.connector.serviceUrl, tenantId: TENANT_ACME }),
    );
    const listed = async (tenantId: string) =>
      cardText(
        (await cardFor(personalMessage("subscriptions", { serviceUrl: h.connector.serviceUrl, tenantId })))
          .attachments[0].content,
      );
    const acme = await listed(TENANT_ACME);
    const beta = await listed(TENANT_BETA);
    expect(acme).toContain("daily 07:00");
    expect(acme).not.toContain("weekly mon 09:00");
    expect(beta).toContain("weekly mon 09:00");
    expect(beta).not.toContain("daily 07:00");
  });

  it("refuses a tenant no workspace is mapped to, and keeps nothing of it", async () => {
    const before = await h.store.prisma.workspace.count();
    const activity = await cardFor(
      personalMessage(`creator @${anna}`, { serviceUrl: h.connector.serviceUrl, tenantId: TENANT_UNKNOWN }),
    );
    expect(activity.text).toBe(TENANT_REFUSED);
    expect(activity.attachments).toBeUndefined();
    expect(await h.store.prisma.workspace.count()).toBe(before);
    expect(await h.store.prisma.teamsConversation.count({ where: { tenantId: TENANT_UNKNOWN } })).toBe(0);
  });
});

describe("Teams with one workspace: the bot's own tenant maps to LONGTAIL_WORKSPACE, others are refused", () => {
  let h: TeamsHarness;

  beforeAll(async () => {
    quietLogs();
    h = await startTeamsHarness({
      workspace: "acme",
      env: {},
      prepare: async (store) => {
        await seedDemo(store, { now: NOW, creators: 12, slug: "acme" });
      },
    });
  });
  afterAll(async () => h?.close());

  it("answers any tenant in local mode from LONGTAIL_WORKSPACE", async () => {
    expect(
      (
        await h.post(
          personalMessage(`creator @${anna}`, { serviceUrl: h.connector.serviceUrl, tenantId: TENANT_BETA }),
        )
      ).status,
    ).toBe(200);
    const [posted] = await h.connector.waitForPosts(1);
    expect(cardText(posted?.activity.attachments[0].content)).toContain(`@${anna}`);
  });
});
