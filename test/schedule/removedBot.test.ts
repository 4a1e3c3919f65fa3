import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScheduler } from "../../src/platforms.ts";
import { type Harness, startHarness, TEAM_ACME } from "../slack/support/harness.ts";
import { sendEvent, sendSlashCommand } from "../slack/support/slackRequests.ts";
import { HOUR, noWait } from "./support.ts";

const REMOVED = "the bot was removed from the channel — invite it back with /invite @Longtail";
const NOT_FOUND = "the channel was not found";

describe("a channel the bot can no longer post to (real Bolt app and scheduler, Slack API stub)", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ mode: "single", workspace: "acme" });
  });
  afterAll(async () => h?.close());

  async function slash(text: string, channelId: string): Promise<string> {
    const id = randomUUID();
    await sendSlashCommand(
      h.baseUrl,
      {
        command: "/longtail",
        text,
        teamId: TEAM_ACME.teamId,
        channelId,
        responseUrl: h.stub.responseUrl(id),
      },
      h.sign,
    );
    return JSON.stringify((await h.stub.waitFor((call) => call.path === `/respond/${id}`)).body);
  }

  it("stops the subscription with the reason, says so in /longtail subscriptions and App Home, and never retries", async () => {
    // The harness answers as of Monday 2 March 2026, 10:00 in Amsterdam (the stub's users.info time zone).
    expect(await slash("subscribe weekly mon 09:00", "C0KICKED")).toContain("Subscribed");
    expect(await slash("subscribe weekly mon 09:00", "C0DELETED")).toContain("Subscribed");
    h.stub.channelFailures.set("C0KICKED", "not_in_channel");
    h.stub.channelFailures.set("C0DELETED", "channel_not_found");

    const scheduler = createScheduler({ config: h.config, store: h.store, sleep: noWait });
    const firstRun = new Date("2026-03-09T08:00:00Z");
    expect(await scheduler.tick(firstRun)).toMatchObject({ sent: 0, failed: 2, retried: 0 });
    for (const later of [HOUR, 7 * 24 * HOUR, 14 * 24 * HOUR]) {
      expect(await scheduler.tick(new Date(firstRun.getTime() + later))).toMatchObject({
        failed: 0,
        retried: 0,
      });
    }
    const attempts = h.stub.callsTo("chat.postMessage");
    expect(attempts.map((call) => [call.body.channel, call.outcome]).sort()).toEqual([
      ["C0DELETED", "channel_not_found"],
      ["C0KICKED", "not_in_channel"],
    ]);

    const subscriptions = await h.store.prisma.subscription.findMany({ orderBy: { channelId: "asc" } });
    expect(subscriptions.map((s) => [s.channelId, s.active])).toEqual([
      ["C0DELETED", false],
      ["C0KICKED", false],
    ]);
    expect(subscriptions[0]?.disabledReason).toContain(NOT_FOUND);
    expect(subscriptions[1]?.disabledReason).toContain(REMOVED);
    const deliveries = await h.store.prisma.delivery.findMany();
    expect(deliveries.map((row) => [row.status, row.attempts])).toEqual([
      ["failed", 1],
      ["failed", 1],
    ]);

    const listing = await slash("subscriptions", "C0GENERAL");
    // The channel mention may come escaped (&gt;): that is the message renderer's business, not asserted here.
    expect(listing).toMatch(
      /C0KICKED(>|&gt;): weekly mon 09:00 \(Europe\/Amsterdam\) — stopped: the bot was removed/,
    );
    expect(listing).toMatch(
      /C0DELETED(>|&gt;): weekly mon 09:00 \(Europe\/Amsterdam\) — stopped: the channel was not found/,
    );
    expect(listing).toContain("invite it back with /invite @Longtail");

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
    const home = JSON.stringify((await h.stub.waitForMethod("views.publish")).body.view);
    expect(home).toContain("Needs attention");
    expect(home).toMatch(
      /The digest to (<|&lt;)#C0KICKED(>|&gt;) stopped: the bot was removed from the channel/,
    );
  });
});
