import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCreators, seedDemo } from "../../src/ingest/demo.ts";
import { SHARE_ACTION_ID, SUGGESTION_ACTION_ID } from "../../src/render/slack.ts";
import { WEB_API_METHODS } from "../../src/slack/registry.ts";
import { decodeShare } from "../../src/slack/share.ts";
import {
  buttonValue,
  expectHomeWithinLimits,
  expectWithinSlackLimits,
  headerOf,
  textOf,
} from "./support/expectations.ts";
import { type Harness, NOW, startHarness, TEAM_ACME } from "./support/harness.ts";
import {
  postSigned,
  sendBlockAction,
  sendEvent,
  sendSlashCommand,
  slashCommandBody,
} from "./support/slackRequests.ts";

const SLACK_ACK_BUDGET_MS = 3000;
const creators = demoCreators({ now: NOW, creators: 12 });
const someone = creators[0]?.handle ?? "";
const micro = creators.find((creator) => creator.tier === "micro")?.handle ?? "";
/** A campaign whose name holds an entity as text, as an HTML export might have named it. */
const ENTITY_CAMPAIGN = "&lt;refresh&gt;";

describe("Slack app, single workspace (real Bolt app, signed HTTP, Slack API stub)", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      mode: "single",
      workspace: "acme",
      prepare: async (store) => {
        await seedDemo(store, { now: NOW, creators: 12, slug: "acme" });
        await store.prisma.campaign.updateMany({
          where: { name: "autumn-refresh" },
          data: { name: ENTITY_CAMPAIGN },
        });
      },
    });
  });
  afterAll(async () => h?.close());

  async function slash(command: string, text: string, channelId?: string) {
    const id = randomUUID();
    const sentAt = Date.now();
    const ack = await sendSlashCommand(
      h.baseUrl,
      { command, text, teamId: TEAM_ACME.teamId, responseUrl: h.stub.responseUrl(id), channelId },
      h.sign,
    );
    const answer = await h.stub.waitFor((call) => call.path === `/respond/${id}`);
    return { id, ack, answer, sentAt, body: answer.body, blocks: answer.body.blocks };
  }

  /** Presses Share in channel in #C0CAMPAIGNS: the press, its response_url answer and the posts it made. */
  async function pressShare(value: string) {
    const id = randomUUID();
    const before = h.stub.callsTo("chat.postMessage").length;
    const pressed = await sendBlockAction(
      h.baseUrl,
      {
        teamId: TEAM_ACME.teamId,
        actionId: SHARE_ACTION_ID,
        value,
        responseUrl: h.stub.responseUrl(id),
        channelId: "C0CAMPAIGNS",
      },
      h.sign,
    );
    const cleanup = await h.stub.waitFor((call) => call.path === `/respond/${id}`);
    return { pressed, cleanup, posted: h.stub.callsTo("chat.postMessage").slice(before) };
  }

  it.each([
    ["/creator", `@${someone}`, `@${someone}`],
    ["/creator", someone, `@${someone}`],
    ["/campaign", "spring-launch", "Campaign spring-launch"],
    ["/longtail", "help", "How to ask Longtail"],
    ["/longtail", "top 5 creators by longevity", "Top"],
    ["/longtail", "compare micro vs macro", "Tiers compared"],
    ["/longtail", "digest", "Weekly digest"],
    ["/longtail", "alerts", "Longevity"],
  ])(
    "%s %s: acked within 3 s, answered ephemerally through response_url, within Slack's limits",
    async (command, text, header) => {
      const { ack, body, blocks } = await slash(command, text);
      expect(ack.status).toBe(200);
      expect(ack.ms).toBeLessThan(SLACK_ACK_BUDGET_MS);
      expect(body.response_type).toBe("ephemeral");
      expect(typeof body.text).toBe("string");
      const typed = expectWithinSlackLimits(blocks);
      expect(headerOf(typed)).toContain(header);
    },
  );

  it("offers a Share in channel button on data cards, not on help", async () => {
    const card = await slash("/creator", someone);
    expect(buttonValue(card.blocks as never, SHARE_ACTION_ID)).toBeDefined();
    const help = await slash("/longtail", "help");
    expect(buttonValue(help.blocks as never, SHARE_ACTION_ID)).toBeUndefined();
  });

  it.each([
    [
      "subscribe weekly mon 09:00",
      "*Subscribed: the digest comes to this channel weekly mon 09:00 (Europe/Amsterdam).*",
    ],
    ["subscriptions", "Digest → <#C0GENERAL>: weekly mon 09:00 (Europe/Amsterdam), next 9 Mar 2026, 09:00"],
    ["alert longevity drop 30%", "*Alerting this channel when week-2 retention drops more than 30%.*"],
    ["unsubscribe", "*Unsubscribed: no more digests in this channel.*"],
  ])("/longtail %s goes to the scheduler and answers", async (text, expected) => {
    const { ack, body } = await slash("/longtail", text);
    expect(ack.ms).toBeLessThan(SLACK_ACK_BUDGET_MS);
    expectWithinSlackLimits(body.blocks);
    expect(JSON.stringify(body)).toContain(expected);
  });

  it("reads the asker's time zone (users.info) for a subscription", async () => {
    const { body } = await slash("/longtail", "subscribe weekly fri 16:00");
    expect(h.stub.callsTo("users.info").at(-1)?.body.user).toBe("U0MARKETER");
    expect(JSON.stringify(body)).toContain("Europe/Amsterdam");
  });

  it("acks at once even when the answer is slow, says after 3 s that it is coming, then answers through response_url", async () => {
    const slowStore = slowWorkspaceLookups(h, 3500);
    try {
      const { ack, answer: notice, sentAt, id } = await slash("/creator", someone);
      expect(ack.ms).toBeLessThan(SLACK_ACK_BUDGET_MS);
      expect(notice.at - sentAt).toBeGreaterThanOrEqual(3000);
      expect(notice.body.text).toBe("Busy, your answer is coming");
      const answer = await h.stub.waitFor((call) => call.path === `/respond/${id}` && call !== notice);
      expect(answer.at - sentAt).toBeGreaterThanOrEqual(3500);
      expect(headerOf(answer.body.blocks as never)).toBe(`@${someone}`);
    } finally {
      slowStore.restore();
    }
  });

  it("answers an unknown phrase with short help, never silence", async () => {
    const { body, blocks } = await slash("/longtail", "what's the weather in Utrecht");
    expect(headerOf(expectWithinSlackLimits(blocks))).toBe("How to ask Longtail");
    expect(JSON.stringify(body)).toContain("I didn't understand");
  });

  it("answers an unknown creator with did-you-mean buttons that run the suggestion", async () => {
    // A letter missing in the middle: no handle starts with it, so it is a "did you mean".
    const typo = `${someone.slice(0, 2)}${someone.slice(3)}`;
    const { blocks } = await slash("/creator", typo);
    const suggestion = buttonValue(blocks as never, SUGGESTION_ACTION_ID);
    expect(suggestion).toBe(`creator @${someone}`);
    const id = randomUUID();
    const pressed = await sendBlockAction(
      h.baseUrl,
      {
        teamId: TEAM_ACME.teamId,
        actionId: SUGGESTION_ACTION_ID,
        value: suggestion ?? "",
        responseUrl: h.stub.responseUrl(id),
      },
      h.sign,
    );
    expect(pressed.status).toBe(200);
    const answer = await h.stub.waitFor((call) => call.path === `/respond/${id}`);
    expect(answer.body.replace_original).toBe(true);
    expect(headerOf(expectWithinSlackLimits(answer.body.blocks))).toBe(`@${someone}`);
  });

  describe("Slack's own text reaches the parser as a person meant it", () => {
    it.each([
      ["/creator", `<@U0ANNA|${someone}>`, `@${someone}`],
      ["/creator", `   @${someone.toUpperCase()}   `, `@${someone}`],
      ["/campaign", "“spring-launch”", "Campaign spring-launch"],
      ["/campaign", "<https://example.com/campaigns/spring-launch|spring-launch>", "Campaign spring-launch"],
      ["/longtail", "TOP  3   creators\u00a0by   longevity   in  ‘spring-launch’", "Top"],
      ["/longtail", `how is <@U0ANNA|${someone}> doing?`, `@${someone}`],
      ["/longtail", "Compare   MICRO   and\u200b macro", "Tiers compared"],
      ["/longtail", "top 3 creators by longevity in <#C0SPRING|spring-launch>", "Top"],
      ["/longtail", "compare micro &amp; macro", "Tiers compared"],
    ])("%s %s", async (command, text, header) => {
      const { blocks } = await slash(command, text);
      expect(headerOf(expectWithinSlackLimits(blocks))).toContain(header);
    });

    it("explains a bare Slack user mention instead of guessing a creator", async () => {
      const { body } = await slash("/creator", "<@U0ANNA>");
      expect(JSON.stringify(body)).toContain("mentions a person in this chat, not a creator");
    });

    // Slack sends a typed "&lt;" as "&amp;lt;": decoded once it is "&lt;" again, and never "<".
    const sentBySlack = "campaign &amp;lt;refresh&amp;gt;";

    it("decodes a slash command once, and its Share in channel asks that same question, not a second decoding of it", async () => {
      const { blocks } = await slash("/longtail", sentBySlack);
      const typed = expectWithinSlackLimits(blocks);
      expect(headerOf(typed)).toBe(`Campaign ${ENTITY_CAMPAIGN}`);
      const value = buttonValue(typed, SHARE_ACTION_ID) ?? "";
      expect(decodeShare(value, NOW)?.text).toBe(`campaign ${ENTITY_CAMPAIGN}`);
      const { posted } = await pressShare(value);
      expect(posted).toHaveLength(1);
      expect(headerOf(expectWithinSlackLimits(posted[0]?.body.blocks))).toBe(`Campaign ${ENTITY_CAMPAIGN}`);
    });

    it("decodes a mention once", async () => {
      const ts = "1700000100.000900";
      const event = {
        type: "app_mention",
        user: "U0MARKETER",
        text: `<@${TEAM_ACME.botUserId}> ${sentBySlack}`,
        ts,
        channel: "C0GENERAL",
        event_ts: ts,
      };
      await sendEvent(h.baseUrl, TEAM_ACME.teamId, event, h.sign);
      const posted = await h.stub.waitFor(
        (call) => call.method === "chat.postMessage" && call.body.thread_ts === ts,
      );
      expect(headerOf(expectWithinSlackLimits(posted.body.blocks))).toBe(`Campaign ${ENTITY_CAMPAIGN}`);
    });
  });

  it("answers an app_mention in plain words in its thread", async () => {
    const ts = "1700000100.000200";
    const event = {
      type: "app_mention",
      user: "U0MARKETER",
      text: `<@${TEAM_ACME.botUserId}> how is @${someone} doing?`,
      ts,
      channel: "C0GENERAL",
      event_ts: ts,
    };
    const response = await sendEvent(h.baseUrl, TEAM_ACME.teamId, event, h.sign);
    expect(response.status).toBe(200);
    const posted = await h.stub.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.thread_ts === ts,
    );
    expect(posted.body.channel).toBe("C0GENERAL");
    expect(posted.token).toBe(TEAM_ACME.token);
    expect(headerOf(expectWithinSlackLimits(posted.body.blocks))).toBe(`@${someone}`);
  });

  it("answers a mention it does not understand with help, in the thread", async () => {
    const ts = "1700000100.000300";
    await sendEvent(
      h.baseUrl,
      TEAM_ACME.teamId,
      {
        type: "app_mention",
        user: "U0MARKETER",
        text: `<@${TEAM_ACME.botUserId}> sing me a song`,
        ts,
        channel: "C0GENERAL",
      },
      h.sign,
    );
    const posted = await h.stub.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.thread_ts === ts,
    );
    expect(headerOf(expectWithinSlackLimits(posted.body.blocks))).toBe("How to ask Longtail");
    expect(textOf(posted)).toContain("sing me a song");
  });

  it("answers a direct message in plain words in its thread, and ignores its own messages", async () => {
    const ts = "1700000100.000400";
    await sendEvent(
      h.baseUrl,
      TEAM_ACME.teamId,
      {
        type: "message",
        channel_type: "im",
        channel: "D0MARKETER",
        user: "U0MARKETER",
        text: "compare micro vs macro",
        ts,
      },
      h.sign,
    );
    const posted = await h.stub.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.thread_ts === ts,
    );
    expect(posted.body.channel).toBe("D0MARKETER");
    expect(headerOf(expectWithinSlackLimits(posted.body.blocks))).toBe("Tiers compared");

    const ownTs = "1700000100.000500";
    await sendEvent(
      h.baseUrl,
      TEAM_ACME.teamId,
      {
        type: "message",
        channel_type: "im",
        channel: "D0MARKETER",
        user: TEAM_ACME.botUserId,
        bot_id: TEAM_ACME.botId,
        text: "Tiers compared",
        ts: ownTs,
      },
      h.sign,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.stub.calls.some((call) => call.body.thread_ts === ownTs)).toBe(false);
  });

  it("keeps a private-charts workspace's charts out of links: PNGs uploaded into the thread instead", async () => {
    await h.store.prisma.workspace.update({ where: { slug: "acme" }, data: { privateCharts: true } });
    try {
      const ephemeral = await slash("/creator", someone);
      expect(JSON.stringify(ephemeral.blocks)).not.toContain("quickchart");
      const ts = "1700000100.000700";
      await sendEvent(
        h.baseUrl,
        TEAM_ACME.teamId,
        {
          type: "app_mention",
          user: "U0MARKETER",
          text: `<@${TEAM_ACME.botUserId}> creator @${someone}`,
          ts,
          channel: "C0GENERAL",
        },
        h.sign,
      );
      const posted = await h.stub.waitFor(
        (call) => call.method === "chat.postMessage" && call.body.thread_ts === ts,
      );
      expect(JSON.stringify(posted.body.blocks)).not.toContain("image_url");
      const completed = await h.stub.waitFor(
        (call) => call.method === "files.completeUploadExternal" && call.body.thread_ts === ts,
      );
      expect(completed.body.channel_id).toBe("C0GENERAL");
      expect(completed.token).toBe(TEAM_ACME.token);
      const requested = h.stub.callsTo("files.getUploadURLExternal").at(-1);
      expect(String(requested?.body.filename)).toMatch(/\.png$/);
      expect(h.stub.callsTo("upload").length).toBeGreaterThan(0);
    } finally {
      await h.store.prisma.workspace.update({ where: { slug: "acme" }, data: { privateCharts: false } });
    }
  });

  it("posts the same card to the channel when Share in channel is pressed", async () => {
    const { blocks } = await slash("/creator", micro);
    const value = buttonValue(blocks as never, SHARE_ACTION_ID) ?? "";
    const { pressed, cleanup, posted } = await pressShare(value);
    expect(pressed.status).toBe(200);
    expect(cleanup.body.delete_original).toBe(true);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body.channel).toBe("C0CAMPAIGNS");
    const shared = expectWithinSlackLimits(posted[0]?.body.blocks);
    expect(headerOf(shared)).toBe(`@${micro}`);
    // The same card: every block of the ephemeral answer but the share button, plus who shared it.
    const withoutShare = (blocks as { type: string }[]).filter((block) => block.type !== "actions");
    expect(shared.slice(0, withoutShare.length)).toEqual(withoutShare);
    expect(textOf(posted[0] as never)).toContain("Shared by <@U0MARKETER>");
  });

  it("says how to invite the bot when it cannot post in the channel", async () => {
    const { blocks } = await slash("/creator", micro);
    const value = buttonValue(blocks as never, SHARE_ACTION_ID) ?? "";
    h.stub.failures.set("chat.postMessage", "not_in_channel");
    try {
      const id = randomUUID();
      await sendBlockAction(
        h.baseUrl,
        { teamId: TEAM_ACME.teamId, actionId: SHARE_ACTION_ID, value, responseUrl: h.stub.responseUrl(id) },
        h.sign,
      );
      const answer = await h.stub.waitFor((call) => call.path === `/respond/${id}`);
      expect(String(answer.body.text)).toContain("/invite @Longtail");
    } finally {
      h.stub.failures.delete("chat.postMessage");
    }
  });

  it("refuses a share button value it did not make", async () => {
    const id = randomUUID();
    const before = h.stub.callsTo("chat.postMessage").length;
    await sendBlockAction(
      h.baseUrl,
      {
        teamId: TEAM_ACME.teamId,
        actionId: SHARE_ACTION_ID,
        value: '{"blocks":[{"type":"header"}]}',
        responseUrl: h.stub.responseUrl(id),
      },
      h.sign,
    );
    const answer = await h.stub.waitFor((call) => call.path === `/respond/${id}`);
    expect(String(answer.body.text)).toContain("ask the question again");
    expect(h.stub.callsTo("chat.postMessage").length).toBe(before);
  });

  it("publishes the Home tab from the workspace's digest and alerts", async () => {
    await sendEvent(
      h.baseUrl,
      TEAM_ACME.teamId,
      {
        type: "app_home_opened",
        user: "U0MARKETER",
        channel: "D0MARKETER",
        tab: "home",
        event_ts: "1700000100.000600",
      },
      h.sign,
    );
    const published = await h.stub.waitForMethod("views.publish");
    expect(published.body.user_id).toBe("U0MARKETER");
    const view = published.body.view as { type: string; blocks: unknown };
    expect(view.type).toBe("home");
    const blocks = expectHomeWithinLimits(view.blocks);
    expect(JSON.stringify(blocks)).toContain("This week");
    expect(JSON.stringify(blocks)).toContain("Active alerts");
  });

  it("lists subscriptions and alert rules with live channel links, in /longtail subscriptions and on the Home tab", async () => {
    await h.store.prisma.subscription.deleteMany();
    await h.store.prisma.alertRule.deleteMany();
    await slash("/longtail", "subscribe weekly mon 09:00", "C0MARKETING");
    await slash("/longtail", "alert longevity drop 30%", "C0ALERTS");
    const { blocks } = await slash("/longtail", "subscriptions");
    expect(expectWithinSlackLimits(blocks)).toEqual([
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text:
            ":information_source: *Subscriptions and alerts in acme (as of 2 Mar 2026)*\n" +
            "Digest → <#C0MARKETING>: weekly mon 09:00 (Europe/Amsterdam), next 9 Mar 2026, 09:00\n" +
            "Alert → <#C0ALERTS>: week-2 retention drops more than 30%",
        },
      },
    ]);
    await sendEvent(
      h.baseUrl,
      TEAM_ACME.teamId,
      {
        type: "app_home_opened",
        user: "U0MARKETER",
        channel: "D0MARKETER",
        tab: "home",
        event_ts: "1700000100.000700",
      },
      h.sign,
    );
    const published = await h.stub.waitFor(
      (call) => call.path.endsWith("views.publish") && JSON.stringify(call.body).includes("C0MARKETING"),
    );
    const home = expectHomeWithinLimits((published.body.view as { blocks: unknown }).blocks);
    const at = home.findIndex(
      (block) => block.type === "header" && block.text.text === "Subscriptions in this workspace",
    );
    expect(home[at + 1]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: "• <#C0MARKETING> — weekly mon 09:00 (Europe/Amsterdam)" },
    });
  });

  describe("request authenticity", () => {
    async function expectNothingRan(before: number) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(h.stub.calls.length).toBe(before);
    }

    it("answers a bad signature with 401 and runs nothing", async () => {
      const before = h.stub.calls.length;
      const body = slashCommandBody({
        command: "/creator",
        text: someone,
        teamId: TEAM_ACME.teamId,
        responseUrl: h.stub.responseUrl("forged"),
      });
      const response = await postSigned(
        `${h.baseUrl}/slack/events`,
        body,
        "application/x-www-form-urlencoded",
        {
          signingSecret: h.sign.signingSecret,
          signature: `v0=${"0".repeat(64)}`,
        },
      );
      expect(response.status).toBe(401);
      await expectNothingRan(before);
    });

    it("answers a body signed with another secret with 401 and runs nothing", async () => {
      const before = h.stub.calls.length;
      const body = slashCommandBody({
        command: "/creator",
        text: someone,
        teamId: TEAM_ACME.teamId,
        responseUrl: h.stub.responseUrl("other"),
      });
      const response = await postSigned(
        `${h.baseUrl}/slack/events`,
        body,
        "application/x-www-form-urlencoded",
        {
          signingSecret: "0123456789abcdef0123456789abcdef",
        },
      );
      expect(response.status).toBe(401);
      await expectNothingRan(before);
    });

    it("answers a correctly signed but stale request (> 5 min) with 401 and runs nothing", async () => {
      const before = h.stub.calls.length;
      const body = slashCommandBody({
        command: "/creator",
        text: someone,
        teamId: TEAM_ACME.teamId,
        responseUrl: h.stub.responseUrl("stale"),
      });
      const response = await postSigned(
        `${h.baseUrl}/slack/events`,
        body,
        "application/x-www-form-urlencoded",
        {
          signingSecret: h.sign.signingSecret,
          timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
        },
      );
      expect(response.status).toBe(401);
      await expectNothingRan(before);
    });

    it("refuses a request from another Slack team than the bot token's", async () => {
      const id = randomUUID();
      const ack = await sendSlashCommand(
        h.baseUrl,
        { command: "/creator", text: someone, teamId: "T0STRANGER", responseUrl: h.stub.responseUrl(id) },
        h.sign,
      );
      expect(ack.status).toBe(200);
      expect(ack.text).toContain("connected to another Slack workspace");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(h.stub.calls.some((call) => call.path === `/respond/${id}`)).toBe(false);
    });
  });

  it("calls no Slack method the registry (and so the manifest's scopes) does not know", () => {
    const methods = new Set(h.stub.calls.map((call) => call.method));
    for (const method of methods) {
      if (method === "response_url" || method === "upload") continue;
      expect(Object.keys(WEB_API_METHODS)).toContain(method);
    }
    expect(methods.has("chat.postMessage")).toBe(true);
  });
});

/** Every workspace lookup waits `ms` first: an answer slower than Slack's 3-second ack budget. */
function slowWorkspaceLookups(h: Harness, ms: number) {
  const model = h.store.prisma.workspace;
  const original = model.findUnique.bind(model);
  (model as { findUnique: unknown }).findUnique = async (...args: Parameters<typeof original>) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return original(...args);
  };
  return {
    restore() {
      (model as { findUnique: unknown }).findUnique = original;
    },
  };
}
