import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/ingest/demo.ts";
import { SHARE_ACTION_ID } from "../../src/render/slack.ts";
import { decodeShare } from "../../src/slack/share.ts";
import { buttonValue, expectWithinSlackLimits, headerOf } from "./support/expectations.ts";
import { type Harness, NOW, startHarness, TEAM_ACME } from "./support/harness.ts";
import { sendBlockAction, sendEvent, sendSlashCommand } from "./support/slackRequests.ts";

/** A campaign whose name holds an entity as text, as an HTML export might have named it. */
const CAMPAIGN = "&lt;launch&gt;";
/** What Slack sends when someone types `campaign &lt;launch&gt;`: it escapes the "&" once. */
const SENT_BY_SLACK = "campaign &amp;lt;launch&amp;gt;";

describe("Slack text is decoded exactly once, shared questions too (real Bolt app, Slack API stub)", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      mode: "single",
      workspace: "acme",
      prepare: async (store) => {
        await seedDemo(store, { now: NOW, creators: 6, slug: "acme" });
        await store.prisma.campaign.updateMany({
          where: { name: "spring-launch" },
          data: { name: CAMPAIGN },
        });
      },
    });
  });
  afterAll(async () => h?.close());

  it("answers a slash command for the campaign as typed, and shares that same card, not a second decoding of it", async () => {
    const asked = randomUUID();
    await sendSlashCommand(
      h.baseUrl,
      {
        command: "/longtail",
        text: SENT_BY_SLACK,
        teamId: TEAM_ACME.teamId,
        responseUrl: h.stub.responseUrl(asked),
      },
      h.sign,
    );
    const answer = await h.stub.waitFor((call) => call.path === `/respond/${asked}`);
    const blocks = expectWithinSlackLimits(answer.body.blocks);
    expect(headerOf(blocks)).toBe(`Campaign ${CAMPAIGN}`);
    const value = buttonValue(blocks, SHARE_ACTION_ID);
    expect(decodeShare(value, NOW)?.text).toBe(`campaign ${CAMPAIGN}`);

    const pressed = randomUUID();
    const before = h.stub.callsTo("chat.postMessage").length;
    await sendBlockAction(
      h.baseUrl,
      {
        teamId: TEAM_ACME.teamId,
        actionId: SHARE_ACTION_ID,
        value: value ?? "",
        responseUrl: h.stub.responseUrl(pressed),
        channelId: "C0CAMPAIGNS",
      },
      h.sign,
    );
    await h.stub.waitFor((call) => call.path === `/respond/${pressed}`);
    const posted = h.stub.callsTo("chat.postMessage").slice(before);
    expect(posted).toHaveLength(1);
    expect(headerOf(expectWithinSlackLimits(posted[0]?.body.blocks))).toBe(`Campaign ${CAMPAIGN}`);
  });

  it("answers a mention for the campaign as typed, in its thread", async () => {
    const ts = "1700000100.000900";
    const event = {
      type: "app_mention",
      user: "U0MARKETER",
      text: `<@${TEAM_ACME.botUserId}> ${SENT_BY_SLACK}`,
      ts,
      channel: "C0GENERAL",
      event_ts: ts,
    };
    await sendEvent(h.baseUrl, TEAM_ACME.teamId, event, h.sign);
    const posted = await h.stub.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.thread_ts === ts,
    );
    expect(headerOf(expectWithinSlackLimits(posted.body.blocks))).toBe(`Campaign ${CAMPAIGN}`);
  });
});
