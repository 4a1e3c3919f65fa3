import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/ingest/demo.ts";
import { Scheduler } from "../../src/schedule/scheduler.ts";
import { teamsPayloadRenderer } from "../../src/teams/app.ts";
import { MINUTE, noWait, quietLogs } from "../schedule/support.ts";
import { CHANNEL, channelMention, installationUpdate, PERSONAL_CHAT } from "./support/activities.ts";
import { cardText, expectValidTeamsCard } from "./support/cards.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";

/** A Monday: the demo workspace's longevity drop holds now. */
const NOW = new Date("2026-11-23T09:00:00Z");

describe("digests and alerts delivered to Teams (scheduler, outbox, continueConversationAsync, Bot Connector stub)", () => {
  let h: TeamsHarness;

  function scheduler(owner: string): Scheduler {
    return new Scheduler(
      {
        prisma: h.store.prisma,
        renderers: { teams: teamsPayloadRenderer() },
        senders: { teams: h.app.sender(noWait) },
        sleep: noWait,
      },
      { owner },
    );
  }

  async function typeInChannel(words: string): Promise<void> {
    expect((await h.post(channelMention(words, { serviceUrl: h.connector.serviceUrl }))).status).toBe(200);
    await h.connector.waitForPosts(1);
    h.connector.clear();
  }

  beforeAll(async () => {
    quietLogs();
    h = await startTeamsHarness({
      workspace: "demo",
      now: NOW,
      prepare: async (store) => {
        await seedDemo(store, { now: NOW });
      },
    });
  });
  afterAll(async () => h?.close());
  beforeEach(async () => {
    await h.store.prisma.delivery.deleteMany();
    await h.store.prisma.subscription.deleteMany();
    await h.store.prisma.alertRule.deleteMany();
    h.connector.clear();
  });

  it("posts the weekly digest and the longevity alert to the channel exactly once, as new posts", async () => {
    await typeInChannel("subscribe weekly mon 09:00");
    await typeInChannel("alert longevity drop 25%");
    const replica = scheduler("replica-a");
    // From now until just before the cooldown of the alert ends: one alert, one digest (Mon 30 Nov).
    for (let t = NOW.getTime(); t < NOW.getTime() + 7 * 24 * 60 * MINUTE - 30 * MINUTE; t += 30 * MINUTE)
      await replica.tick(new Date(t));

    const posts = h.connector.posts;
    // New posts in the channel itself, not replies in the thread the subscription was typed in.
    expect(posts.map((post) => post.conversationId)).toEqual([CHANNEL, CHANNEL]);
    const [alert, digest] = posts.map((post) => post.activity.attachments[0].content);
    expectValidTeamsCard(alert);
    expectValidTeamsCard(digest);
    expect(alert.body[0].text).toBe("Longevity dropped");
    expect(cardText(alert)).toContain("of the drop");
    expect(digest.body[0].text).toBe("Weekly digest");
    expect(posts[1]?.activity.summary).toMatch(/^Weekly digest: /);
    expect(await h.store.prisma.delivery.count({ where: { status: "sent", platform: "teams" } })).toBe(2);

    await replica.tick(new Date(NOW.getTime() + 7 * 24 * 60 * MINUTE - 20 * MINUTE));
    expect(h.connector.posts).toHaveLength(2);
  });

  it("stops a subscription with the reason when the bot was removed from the conversation (403)", async () => {
    await typeInChannel("subscribe daily 08:00");
    h.connector.failNext({ status: 403, code: "BotNotInConversationRoster" });
    const report = await scheduler("replica-a").tick(new Date("2026-11-24T08:00:00Z"));
    expect(report).toMatchObject({ sent: 0, failed: 1 });
    const subscription = await h.store.prisma.subscription.findFirstOrThrow({ where: { platform: "teams" } });
    expect(subscription.active).toBe(false);
    expect(subscription.disabledReason).toBe(
      "Longtail was removed from this Teams conversation — add the app back, then set this up again",
    );
  });

  it("waits for Retry-After on a 429, without the connector client retrying by itself", async () => {
    await typeInChannel("subscribe daily 08:00");
    h.connector.failNext({ status: 429, code: "TooManyRequests", retryAfter: "120" });
    const at = new Date("2026-11-24T08:00:00Z");
    const report = await scheduler("replica-a").tick(at);
    expect(report).toMatchObject({ sent: 0, rateLimited: 1, retried: 1 });
    expect(h.connector.attempts).toBe(1);
    const row = await h.store.prisma.delivery.findFirstOrThrow({ where: { platform: "teams" } });
    expect(row.status).toBe("pending");
    expect(row.nextAttemptAt.getTime() - at.getTime()).toBeGreaterThanOrEqual(120_000);
    expect(row.nextAttemptAt.getTime() - at.getTime()).toBeLessThan(125_000);
  });

  it("remembers a conversation when the app is added to it and forgets it when removed", async () => {
    const serviceUrl = h.connector.serviceUrl;
    await h.post(
      installationUpdate("add", { id: PERSONAL_CHAT, conversationType: "personal" }, { serviceUrl }),
    );
    expect(await h.store.prisma.teamsConversation.count({ where: { conversationId: PERSONAL_CHAT } })).toBe(
      1,
    );
    await h.post(
      installationUpdate("remove", { id: PERSONAL_CHAT, conversationType: "personal" }, { serviceUrl }),
    );
    expect(await h.store.prisma.teamsConversation.count({ where: { conversationId: PERSONAL_CHAT } })).toBe(
      0,
    );
  });
});
