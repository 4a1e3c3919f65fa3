import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Conversation, createConversation } from "../../src/conversation/converse.ts";
import { expectWithinSlackLimits, headerOf } from "./support/expectations.ts";
import { type Harness, startHarness, TEAM_ACME } from "./support/harness.ts";
import { sendEvent, sendSlashCommand } from "./support/slackRequests.ts";

const COMING = {
  text: "Busy, your answer is coming",
  blocks: [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: ":information_source: *Busy, your answer is coming*\nMany questions came in at once; yours is in line and the answer follows here.",
      },
    },
  ],
};
const TOO_BUSY = {
  text: "Too busy right now",
  blocks: [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: ":information_source: *Too busy right now*\nToo many questions are waiting already. Please ask again in a minute.",
      },
    },
  ],
};

/**
 * A bounded, visible backlog over real Bolt: one answer at a time, one more may wait. The queue
 * is held by a task of the test's own, as a long answer would hold it.
 */
describe("Slack, when the answers back up", () => {
  let h: Harness;
  let conversation: Conversation;
  let release: () => void = () => {};

  beforeAll(async () => {
    h = await startHarness({
      mode: "single",
      workspace: "acme",
      conversation: (store) => {
        const queue = { concurrency: 1, breatherMs: 0, maxWaiting: 1 };
        conversation = createConversation(store, { queue, delayNoticeMs: 200 });
        return conversation;
      },
    });
  });
  afterAll(async () => {
    release();
    await h?.close();
  });

  function holdTheQueue(): Promise<void> {
    return conversation.answers.run(() => new Promise<void>((resolve) => (release = resolve)));
  }

  function slash(text: string) {
    const id = randomUUID();
    const fields = {
      command: "/longtail",
      text,
      teamId: TEAM_ACME.teamId,
      responseUrl: h.stub.responseUrl(id),
    };
    return { id, ack: sendSlashCommand(h.baseUrl, fields, h.sign) };
  }

  it("says through the response_url that the answer is coming, then answers; one too many hears it is too busy", async () => {
    const held = holdTheQueue();
    const waiting = slash("help");
    expect((await waiting.ack).status).toBe(200);
    const refused = slash("help");
    expect((await refused.ack).status).toBe(200);

    const tooBusy = await h.stub.waitFor((call) => call.path === `/respond/${refused.id}`);
    expect(tooBusy.body).toEqual({ response_type: "ephemeral", ...TOO_BUSY });
    const coming = await h.stub.waitFor((call) => call.path === `/respond/${waiting.id}`);
    expect(coming.body).toEqual({ response_type: "ephemeral", ...COMING });

    release();
    await held;
    const answered = await h.stub.waitFor(
      (call) => call.path === `/respond/${waiting.id}` && call !== coming,
    );
    expect(headerOf(expectWithinSlackLimits(answered.body.blocks))).toBe("How to ask Longtail");
  });

  it("says it in the thread of a mention, then answers there", async () => {
    const held = holdTheQueue();
    const ts = "1700000900.000100";
    const event = {
      type: "app_mention",
      user: "U0MARKETER",
      text: `<@${TEAM_ACME.botUserId}> help`,
      ts,
      channel: "C0GENERAL",
      event_ts: ts,
    };
    expect((await sendEvent(h.baseUrl, TEAM_ACME.teamId, event, h.sign)).status).toBe(200);
    const inThread = (call: { method?: string; body: Record<string, unknown> }) =>
      call.method === "chat.postMessage" && call.body.thread_ts === ts;
    const coming = await h.stub.waitFor(inThread);
    expect(coming.body).toEqual({
      team_id: TEAM_ACME.teamId,
      channel: "C0GENERAL",
      thread_ts: ts,
      ...COMING,
    });
    release();
    await held;
    const answered = await h.stub.waitFor((call) => inThread(call) && call !== coming);
    expect(headerOf(expectWithinSlackLimits(answered.body.blocks))).toBe("How to ask Longtail");
  });
});
