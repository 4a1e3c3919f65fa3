import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TeamsMessage } from "../../src/render/teams.ts";
import { DeliveryError, type Sender } from "../../src/schedule/deliver.ts";
import type { ClaimedDelivery } from "../../src/store/outbox.ts";
import { saveTeamsConversation } from "../../src/store/teamsConversations.ts";
import { ensureWorkspace } from "../../src/store/workspaces.ts";
import { TeamsPacer } from "../../src/teams/pacing.ts";
import { teamsSender } from "../../src/teams/sender.ts";
import { noWait, quietLogs } from "../schedule/support.ts";
import { BOT, CHANNEL, TENANT_ACME } from "./support/activities.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";

/** A digest-like card: a title, three sections and a chart. */
const MESSAGE: TeamsMessage = {
  summary: "Weekly digest",
  card: {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body: [
      { type: "TextBlock", text: "Weekly digest", wrap: true },
      { type: "TextBlock", text: "This week", wrap: true },
      { type: "TextBlock", text: "Evergreen posts", wrap: true },
      { type: "TextBlock", text: "Micro vs macro", wrap: true },
      { type: "Image", id: "chart-1", url: "https://quickchart.io/chart?c=1", altText: "chart" },
    ],
    msteams: { width: "Full" },
  },
};

async function failureOf(send: Promise<void>): Promise<DeliveryError> {
  const error = await send.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe("the Teams sender (continueConversationAsync against the Bot Connector stub)", () => {
  let h: TeamsHarness;
  let send: Sender;
  let delivery: ClaimedDelivery;

  beforeAll(async () => {
    quietLogs();
    h = await startTeamsHarness();
    const workspace = await ensureWorkspace(h.store.prisma, "acme");
    await saveTeamsConversation(h.store.prisma, workspace.id, {
      conversationId: CHANNEL,
      conversationType: "channel",
      tenantId: TENANT_ACME,
      serviceUrl: h.connector.serviceUrl,
      botId: BOT.id,
      botName: BOT.name,
    });
    send = h.app.sender(noWait);
    delivery = {
      id: 1,
      workspaceId: workspace.id,
      subscriptionId: 1,
      alertRuleId: null,
      platform: "teams",
      channelId: CHANNEL,
      conversation: null,
      payload: MESSAGE,
      attempts: 1,
    };
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.connector.clear());

  it("posts the card to the stored conversation as the bot", async () => {
    await send(delivery);
    const [posted] = h.connector.posts;
    expect(posted?.conversationId).toBe(CHANNEL);
    expect(posted?.activity.from).toEqual({ id: BOT.id, name: BOT.name });
    expect(posted?.activity.attachments[0].content).toEqual(MESSAGE.card);
    expect(posted?.activity.summary).toBe("Weekly digest");
  });

  it.each([
    [
      403,
      "BotNotInConversationRoster",
      "Longtail was removed from this Teams conversation — add the app back, then set this up again",
    ],
    [
      403,
      "BotDisabledByAdmin",
      "a Teams admin turned off the Longtail app for this organization — ask them to allow it again",
    ],
    [
      403,
      "ConversationBlockedByUser",
      "the person blocked Longtail in this chat — unblock it, then set this up again",
    ],
    [
      404,
      "ConversationNotFound",
      "the Teams conversation no longer exists — set this up again where it should go",
    ],
  ])("%i %s: permanent, with the reason", async (status, code, reason) => {
    h.connector.failNext({ status, code });
    const failure = await failureOf(send(delivery));
    expect(failure.kind).toBe("permanent");
    expect(failure.message).toBe(reason);
    expect(h.connector.attempts).toBe(1);
  });

  it.each([412, 502, 503, 504])(
    "%i: transient, one attempt (the outbox retries with backoff)",
    async (status) => {
      h.connector.failNext({ status, code: "ServiceError" });
      const failure = await failureOf(send(delivery));
      expect(failure.kind).toBe("transient");
      expect(failure.message).toBe(`Teams answered ${status} ServiceError`);
      expect(h.connector.attempts).toBe(1);
    },
  );

  it("429: rate limited for the Retry-After it names, one attempt", async () => {
    h.connector.failNext({ status: 429, code: "TooManyRequests", retryAfter: "7" });
    const failure = await failureOf(send(delivery));
    expect(failure.kind).toBe("rateLimited");
    expect(failure.retryAfterMs).toBe(7_000);
    expect(failure.message).toBe("Teams rate limit: asked to wait 7 s");
    expect(h.connector.attempts).toBe(1);
  });

  it("413: sends again without the chart, then without the last sections, counted", async () => {
    h.connector.failNext(
      { status: 413, code: "MessageSizeTooBig" },
      { status: 413, code: "MessageSizeTooBig" },
    );
    await send(delivery);
    expect(h.connector.attempts).toBe(3);
    const body = h.connector.posts[0]?.activity.attachments[0].content.body;
    expect(body.map((element: { text?: string; type: string }) => element.text ?? element.type)).toEqual([
      "Weekly digest",
      "This week",
      "Evergreen posts",
      "…and 1 more",
    ]);
  });

  it("413 until only the title is left: permanent", async () => {
    h.connector.failNext(...Array.from({ length: 5 }, () => ({ status: 413, code: "MessageSizeTooBig" })));
    const failure = await failureOf(send(delivery));
    expect(failure.kind).toBe("permanent");
    expect(failure.message).toBe(
      "the message is larger than Teams accepts even without its chart and details",
    );
    expect(h.connector.attempts).toBe(5);
  });

  it("a send that takes longer than its timeout: transient, so the outbox tries again under its lease", async () => {
    h.connector.delayMs = 300;
    try {
      const slowSend = teamsSender({
        adapter: h.app.adapter,
        settings: h.settings,
        prisma: h.store.prisma,
        pacer: new TeamsPacer(),
        sleep: noWait,
        sendTimeoutMs: 100,
      });
      const failure = await failureOf(slowSend(delivery));
      expect(failure.kind).toBe("transient");
      expect(failure.message).toBe("Teams did not answer within 0.1 s");
      // The slow post still lands: the retry would be a duplicate, the window README.md names.
      expect(await h.connector.waitForPosts(1)).toHaveLength(1);
    } finally {
      h.connector.delayMs = 0;
    }
  });

  it("a conversation Longtail no longer knows: permanent, nothing sent", async () => {
    const failure = await failureOf(send({ ...delivery, channelId: "19:gone@thread.tacv2" }));
    expect(failure.kind).toBe("permanent");
    expect(failure.message).toBe(
      "Longtail no longer knows this Teams conversation (the app was removed) — add the app back, then set this up again",
    );
    expect(h.connector.attempts).toBe(0);
  });

  it("paces one conversation: short gaps are waited out, a full 30-second window goes back to the outbox", async () => {
    const paced = "19:paced0000000000000000000000000@thread.tacv2";
    await saveTeamsConversation(h.store.prisma, delivery.workspaceId, {
      conversationId: paced,
      conversationType: "channel",
      tenantId: TENANT_ACME,
      serviceUrl: h.connector.serviceUrl,
      botId: BOT.id,
      botName: BOT.name,
    });
    const waits: number[] = [];
    const pacedSend = h.app.sender(async (ms) => {
      waits.push(ms);
    });
    for (let i = 0; i < 60; i++) await pacedSend({ ...delivery, channelId: paced });
    expect(h.connector.posts).toHaveLength(60);
    // The 8th message in a second waited for the first to leave it (7 per second).
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThanOrEqual(1_000);
    const failure = await failureOf(pacedSend({ ...delivery, channelId: paced }));
    expect(failure.kind).toBe("rateLimited");
    expect(failure.message).toMatch(/^Teams pacing: this conversation's limit is reached for \d+ s$/);
    expect(failure.retryAfterMs).toBeGreaterThan(5_000);
    expect(h.connector.posts).toHaveLength(60);
  });
});
