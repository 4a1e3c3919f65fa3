import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { demoCreators, seedDemo } from "../../src/ingest/demo.ts";
import { listen } from "../../src/server/http.ts";
import { teamsSurface } from "../../src/server/teams.ts";
import { MESSAGES_PATH } from "../../src/teams/handler.ts";
import { quietLogs } from "../schedule/support.ts";
import { openTestStore } from "../support/store.ts";
import {
  BOT,
  CHANNEL,
  cardSubmit,
  channelMention,
  GROUP_CHAT,
  groupChatMention,
  PERSONAL_CHAT,
  personalMessage,
} from "./support/activities.ts";
import { cardText, expectValidTeamsCard, submitActions } from "./support/cards.ts";
import { ConnectorStub } from "./support/connectorStub.ts";
import { NOW, startTeamsHarness, type TeamsHarness } from "./support/harness.ts";

const creators = demoCreators({ now: NOW, creators: 12 });
const anna = creators[0]?.handle ?? "";

describe("Teams bot over HTTP (real CloudAdapter, local mode, Bot Connector stub)", () => {
  let h: TeamsHarness;

  beforeAll(async () => {
    quietLogs();
    h = await startTeamsHarness({
      prepare: async (store) => {
        await seedDemo(store, { now: NOW, creators: 12, slug: "acme" });
      },
    });
  });
  afterAll(async () => h?.close());
  afterEach(() => h.connector.clear());

  async function ask(activity: { serviceUrl?: string }) {
    const response = await h.post(activity);
    expect(response.status).toBe(200);
    const [posted] = await h.connector.waitForPosts(1);
    if (!posted) throw new Error("nothing posted");
    return posted;
  }

  it("answers a creator in a personal chat with a valid Adaptive Card, as a reply to the message", async () => {
    const message = personalMessage(`creator @${anna}`, { serviceUrl: h.connector.serviceUrl });
    const posted = await ask(message);
    expect(posted.conversationId).toBe(PERSONAL_CHAT);
    expect(posted.activityId).toBe(message.id);
    const attachment = posted.activity.attachments[0];
    expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expectValidTeamsCard(attachment.content);
    const text = cardText(attachment.content);
    expect(text).toContain(`@${anna}`);
    expect(text).toContain("Direct — easy to count");
    expect(text).toContain("Lasting — what keeps earning");
    expect(text).toContain("tier median");
    const chart = attachment.content.body.find((element: { type: string }) => element.type === "Image");
    expect(chart.url).toMatch(/^https:\/\/quickchart\.io\/chart\?/);
    expect(posted.activity.summary).toContain(`@${anna}`);
  });

  it("answers a channel @mention in the thread it came from", async () => {
    const mention = channelMention("campaign spring-launch", {
      serviceUrl: h.connector.serviceUrl,
      threadId: "1700000000123",
    });
    const posted = await ask(mention);
    expect(posted.conversationId).toBe(`${CHANNEL};messageid=1700000000123`);
    expect(posted.activityId).toBe(mention.id);
    const card = posted.activity.attachments[0].content;
    expectValidTeamsCard(card);
    expect(card.body[0].text).toBe("Campaign spring-launch");
    expect(submitActions(card)).toContainEqual({
      title: "Share in channel",
      data: { longtail: "share", question: "campaign spring-launch" },
    });
  });

  it("answers an unknown creator with did you mean, a button per suggestion", async () => {
    const typo = `${anna.slice(0, -1)}x`;
    const posted = await ask(groupChatMention(`creator @${typo}`, { serviceUrl: h.connector.serviceUrl }));
    expect(posted.conversationId).toBe(GROUP_CHAT);
    const card = posted.activity.attachments[0].content;
    expectValidTeamsCard(card);
    expect(cardText(card)).toContain(`I don't know @${typo}. Did you mean`);
    const buttons = submitActions(card);
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons).toContainEqual({
      title: `@${anna}`,
      data: { longtail: "ask", question: `creator @${anna}` },
    });
  });

  it("answers nonsense with the short help", async () => {
    const posted = await ask(
      personalMessage("purple monkey dishwasher", { serviceUrl: h.connector.serviceUrl }),
    );
    const card = posted.activity.attachments[0].content;
    expectValidTeamsCard(card);
    expect(card.body[0].text).toBe("How to ask Longtail");
    expect(cardText(card)).toContain("I didn't understand “purple monkey dishwasher”");
  });

  it("runs a suggestion button's question (Action.Submit comes back as the message value)", async () => {
    const mention = channelMention("hi", { serviceUrl: h.connector.serviceUrl });
    const pressed = cardSubmit({ longtail: "ask", question: `creator @${anna}` }, mention.conversation, {
      serviceUrl: h.connector.serviceUrl,
    });
    const posted = await ask(pressed);
    expect(cardText(posted.activity.attachments[0].content)).toContain(`@${anna}`);
  });

  it("shares a threaded answer as a new post in the channel itself", async () => {
    const mention = channelMention("x", { serviceUrl: h.connector.serviceUrl, threadId: "1700000000999" });
    const pressed = cardSubmit(
      { longtail: "share", question: "campaign spring-launch" },
      mention.conversation,
      { serviceUrl: h.connector.serviceUrl },
    );
    const posted = await ask(pressed);
    expect(posted.conversationId).toBe(CHANNEL);
    expect(posted.activity.text).toBe("Shared by Anna de Vries");
    expect(submitActions(posted.activity.attachments[0].content)).toEqual([]);
    expect(posted.activity.attachments[0].content.body[0].text).toBe("Campaign spring-launch");
  });

  it.each([
    ["top 5 creators by longevity", "Top 5 creators by Longevity"],
    ["compare micro vs macro", "Tiers compared"],
    ["digest", "Weekly digest"],
    ["alerts", "Longevity"],
    ["help", "How to ask Longtail"],
  ])("%s: a valid card headed %s", async (words, heading) => {
    const posted = await ask(personalMessage(words, { serviceUrl: h.connector.serviceUrl }));
    const card = posted.activity.attachments[0].content;
    expectValidTeamsCard(card);
    expect(String(card.body[0].text)).toContain(heading);
  });

  it("subscribes the channel and sets an alert, confirmed in the thread", async () => {
    const subscribe = await ask(
      channelMention("subscribe weekly mon 09:00", { serviceUrl: h.connector.serviceUrl }),
    );
    expect(cardText(subscribe.activity.attachments[0].content)).toContain("Subscribed");
    h.connector.clear();
    const alert = await ask(
      channelMention("alert longevity drop 30%", { serviceUrl: h.connector.serviceUrl }),
    );
    expect(cardText(alert.activity.attachments[0].content)).toContain("Alerting this channel when");
    const subscription = await h.store.prisma.subscription.findFirstOrThrow({ where: { platform: "teams" } });
    expect(subscription.channelId).toBe(CHANNEL);
    expect(subscription.timezone).toBe("Europe/Amsterdam");
    const rule = await h.store.prisma.alertRule.findFirstOrThrow({ where: { platform: "teams" } });
    expect(rule.channelId).toBe(CHANNEL);
    expect(rule.threshold).toBe(0.3);
  });

  it("keeps every conversation it was asked in, by its root id, for digests later", async () => {
    const stored = await h.store.prisma.teamsConversation.findMany({ orderBy: { conversationId: "asc" } });
    expect(stored.map((row) => [row.conversationId, row.conversationType, row.botId])).toEqual([
      [CHANNEL, "channel", BOT.id],
      [GROUP_CHAT, "groupChat", BOT.id],
      [PERSONAL_CHAT, "personal", BOT.id],
    ]);
  });

  it("refuses what is not a JSON activity", async () => {
    const response = await fetch(h.messagesUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(response.status).toBe(400);
    const large = await fetch(h.messagesUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "x".repeat(600 * 1024) }),
    });
    expect(large.status).toBe(413);
  });
});

describe("Teams mounted in the one HTTP server (src/server) beside the other surfaces", () => {
  it("answers POST /api/messages on the shared server's port", async () => {
    quietLogs();
    const store = await openTestStore();
    const connector = await new ConnectorStub().start();
    const surface = teamsSurface(loadConfig({ LONGTAIL_WORKSPACE: "acme" }));
    if (!surface) throw new Error("Teams is off");
    const server = await listen(surface.routes(store, "127.0.0.1"), "127.0.0.1", 0);
    try {
      const response = await fetch(`${server.url}${MESSAGES_PATH}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(personalMessage("help", { serviceUrl: connector.serviceUrl })),
      });
      expect(response.status).toBe(200);
      const [posted] = await connector.waitForPosts(1);
      expect(posted?.activity.attachments[0].content.body[0].text).toBe("How to ask Longtail");
    } finally {
      await server.stop();
      await connector.close();
      await store.close();
    }
  });
});
