import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Conversation, createConversation } from "../../src/conversation/converse.ts";
import { quietLogs } from "../schedule/support.ts";
import { PERSONAL_CHAT, personalMessage } from "./support/activities.ts";
import { cardText, expectValidTeamsCard } from "./support/cards.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";

/** A long answer holds the queue (a task of the test's own): the asker hears the answer is coming. */
describe("Teams, when the answers back up", () => {
  let h: TeamsHarness;
  let conversation: Conversation;
  let release: () => void = () => {};

  beforeAll(async () => {
    quietLogs();
    h = await startTeamsHarness({
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

  it("replies that the answer is coming, then replies with the answer", async () => {
    const held = conversation.answers.run(() => new Promise<void>((resolve) => (release = resolve)));
    const message = personalMessage("help", { serviceUrl: h.connector.serviceUrl });
    const turn = h.post(message);
    const [coming] = await h.connector.waitForPosts(1);
    expect([coming?.conversationId, coming?.activityId]).toEqual([PERSONAL_CHAT, message.id]);
    const notice = coming?.activity.attachments[0].content;
    expectValidTeamsCard(notice);
    expect(cardText(notice)).toBe(
      "ℹ️ **Busy, your answer is coming**\nMany questions came in at once; yours is in line and the answer follows here.",
    );
    release();
    await held;
    expect((await turn).status).toBe(200);
    const [, answered] = await h.connector.waitForPosts(2);
    expect(answered?.activity.attachments[0].content.body[0].text).toBe("How to ask Longtail");
  });
});
