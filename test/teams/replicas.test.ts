import { afterAll, beforeAll, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse.ts";
import { insightContextFor } from "../../src/conversation/workspace.ts";
import { handleScheduleIntent, isScheduleIntent } from "../../src/schedule/channelSettings.ts";
import { Scheduler } from "../../src/schedule/scheduler.ts";
import type { Store } from "../../src/store/database.ts";
import { saveTeamsConversation } from "../../src/store/teamsConversations.ts";
import { createTeamsApp, teamsPayloadRenderer } from "../../src/teams/app.ts";
import { MINUTE, noWait, quietLogs } from "../schedule/support.ts";
import { describeOnPostgres, openSecondPool } from "../support/postgres.ts";
import { BOT, TENANT_ACME } from "./support/activities.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";

const CHANNELS = Array.from(
  { length: 20 },
  (_, i) => `19:room${String(i + 1).padStart(2, "0")}@thread.tacv2`,
);
const DAYS = ["2026-03-02", "2026-03-03"];

describeOnPostgres("two scheduler replicas delivering to Teams from one PostgreSQL database", () => {
  let h: TeamsHarness;
  let otherProcess: Store;

  beforeAll(async () => {
    quietLogs();
    h = await startTeamsHarness();
    otherProcess = await openSecondPool(h.store);
    const ctx = await insightContextFor(h.store.prisma, { slug: "acme", createIfMissing: true });
    const intent = parseCommand("subscribe daily 09:00");
    if (!isScheduleIntent(intent)) throw new Error("not a schedule intent");
    for (const channel of CHANNELS) {
      await saveTeamsConversation(h.store.prisma, ctx.workspace.id, {
        conversationId: channel,
        conversationType: "channel",
        tenantId: TENANT_ACME,
        serviceUrl: h.connector.serviceUrl,
        botId: BOT.id,
        botName: BOT.name,
      });
      await handleScheduleIntent(
        ctx,
        intent,
        { platform: "teams", channelId: channel, userTimezone: "UTC" },
        new Date("2026-03-01T12:00:00Z"),
      );
    }
  });
  afterAll(async () => {
    await otherProcess?.close();
    await h?.close();
  });

  function replica(store: Store, owner: string): Scheduler {
    const app = createTeamsApp({ store, settings: h.settings });
    return new Scheduler(
      {
        prisma: store.prisma,
        renderers: { teams: teamsPayloadRenderer() },
        senders: { teams: app.sender(noWait) },
        sleep: noWait,
      },
      { owner, delivery: { batchSize: 4 } },
    );
  }

  it("post every digest exactly once while ticking concurrently over the same clock", async () => {
    const a = replica(h.store, "replica-a");
    const b = replica(otherProcess, "replica-b");
    const sentBy = { a: 0, b: 0 };
    for (const day of DAYS) {
      const from = Date.parse(`${day}T08:55:00Z`);
      for (let t = from; t <= from + 20 * MINUTE; t += MINUTE / 2) {
        const [ra, rb] = await Promise.all([a.tick(new Date(t)), b.tick(new Date(t))]);
        sentBy.a += ra.sent;
        sentBy.b += rb.sent;
      }
    }
    const perChannel = new Map<string, number>();
    for (const post of h.connector.posts)
      perChannel.set(post.conversationId, (perChannel.get(post.conversationId) ?? 0) + 1);
    expect(h.connector.posts).toHaveLength(CHANNELS.length * DAYS.length);
    expect([...perChannel.keys()].sort()).toEqual(CHANNELS);
    expect([...perChannel.values()].every((count) => count === DAYS.length)).toBe(true);
    expect(sentBy.a + sentBy.b).toBe(CHANNELS.length * DAYS.length);
    expect(sentBy.a).toBeGreaterThan(0);
    expect(sentBy.b).toBeGreaterThan(0);
  });
});
