import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse.ts";
import { handleScheduleIntent, isScheduleIntent } from "../../src/schedule/channelSettings.ts";
import { Scheduler } from "../../src/schedule/scheduler.ts";
import { type DeliveryPlatform, schedulerFor } from "../../src/schedule/wiring.ts";
import { slackPayloadRenderer } from "../../src/slack/sender.ts";
import type { ClaimedDelivery } from "../../src/store/outbox.ts";
import { expectWithinSlackLimits, headerOf } from "../slack/support/expectations.ts";
import { MINUTE, noWait, openScheduleWorld, type ScheduleWorld, typeInChannel } from "./support.ts";

const AMSTERDAM_WEEKDAY_TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Amsterdam",
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
});

describe("scheduled delivery to Slack (real Web API client, loopback stub, controllable clock)", () => {
  let world: ScheduleWorld;

  beforeAll(async () => {
    world = await openScheduleWorld();
  });
  afterAll(async () => world?.close());
  beforeEach(async () => {
    await world.store.prisma.delivery.deleteMany();
    await world.store.prisma.subscription.deleteMany();
    world.stub.calls.length = 0;
  });

  it("posts a weekly digest once a week at 09:00 Amsterdam time, before and after the clocks go forward", async () => {
    const start = new Date("2026-03-20T12:00:00Z");
    await typeInChannel(world.ctx, "subscribe weekly mon 09:00", "C0DIGEST", start, "Europe/Amsterdam");
    const scheduler = world.scheduler("replica-a");
    const postedAt: Date[] = [];
    for (let t = start.getTime(); t <= Date.parse("2026-04-08T00:00:00Z"); t += 15 * MINUTE) {
      const before = world.stub.posted().length;
      await scheduler.tick(new Date(t));
      for (let i = before; i < world.stub.posted().length; i++) postedAt.push(new Date(t));
    }
    // 09:00 in Amsterdam is 08:00Z in winter time and 07:00Z after the clocks went forward on 29 March.
    expect(postedAt.map((at) => at.toISOString())).toEqual([
      "2026-03-23T08:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
      "2026-04-06T07:00:00.000Z",
    ]);
    expect(postedAt.map((at) => AMSTERDAM_WEEKDAY_TIME.format(at))).toEqual([
      "Mon 09:00",
      "Mon 09:00",
      "Mon 09:00",
    ]);
    for (const message of world.stub.posted()) {
      expect(message.body.channel).toBe("C0DIGEST");
      expect(message.token).toBe(world.config.SLACK_BOT_TOKEN);
      expect(headerOf(expectWithinSlackLimits(message.body.blocks))).toBe("Weekly digest");
      expect(String(message.body.text)).toMatch(/^Weekly digest: /);
    }
    expect(await world.store.prisma.delivery.count({ where: { status: "sent" } })).toBe(3);
  });

  it("hands the sender of a registered platform the conversation reference stored with the subscription", async () => {
    const reference = {
      serviceUrl: "http://127.0.0.1:9/teams/",
      conversation: { id: "19:abc@thread.tacv2", tenantId: "tenant-1" },
    };
    const intent = parseCommand("subscribe daily 08:00");
    if (!isScheduleIntent(intent)) throw new Error("not a schedule intent");
    const channel = { platform: "teams" as const, channelId: "19:abc@thread.tacv2", conversation: reference };
    await handleScheduleIntent(world.ctx, intent, channel, new Date("2026-03-01T12:00:00Z"));
    const sent: ClaimedDelivery[] = [];
    const teams: DeliveryPlatform = {
      platform: "teams",
      render: (view) => ({ kind: view.kind }),
      send: async (delivery) => {
        sent.push(delivery);
      },
    };
    await schedulerFor({ store: world.store, platforms: [teams], sleep: noWait }).tick(
      new Date("2026-03-02T08:00:00Z"),
    );
    expect(
      sent.map(({ platform, channelId, conversation, payload }) => ({
        platform,
        channelId,
        conversation,
        payload,
      })),
    ).toEqual([
      {
        platform: "teams",
        channelId: "19:abc@thread.tacv2",
        conversation: reference,
        payload: { kind: "weeklyDigest" },
      },
    ]);
  });

  it("after a replica dies holding a claim, another sends each missing message once when the lease expires", async () => {
    const subscribedAt = new Date("2026-03-01T12:00:00Z");
    const channels = ["C0ONE", "C0TWO", "C0THREE"];
    for (const channel of channels)
      await typeInChannel(world.ctx, "subscribe daily 08:00", channel, subscribedAt, "UTC");
    const due = new Date("2026-03-02T08:00:00Z");

    // Replica A claims the three digests, then hangs in its first send: as good as dead (killed,
    // frozen). The other two it holds, unsent, behind it.
    let sendingStarted: (delivery: ClaimedDelivery) => void = () => {};
    const firstSend = new Promise<ClaimedDelivery>((resolve) => {
      sendingStarted = resolve;
    });
    const replicaA = new Scheduler(
      {
        prisma: world.store.prisma,
        renderers: { slack: slackPayloadRenderer() },
        senders: {
          slack: (delivery) => {
            sendingStarted(delivery);
            return new Promise<void>(() => {});
          },
        },
        sleep: noWait,
      },
      { owner: "replica-a" },
    );
    void replicaA.tick(due);
    await firstSend;
    const held = await world.store.prisma.delivery.findMany({ where: { status: "sending" } });
    expect(held.map((row) => row.leaseOwner)).toEqual(["replica-a", "replica-a", "replica-a"]);

    const replicaB = world.scheduler("replica-b");
    // Within A's one-minute lease, B leaves A's claims alone.
    expect(await replicaB.tick(new Date(due.getTime() + 30_000))).toMatchObject({ sent: 0 });
    expect(world.stub.posted()).toHaveLength(0);
    // Once it has expired, B takes them over and sends each once.
    expect(await replicaB.tick(new Date(due.getTime() + 61_000))).toMatchObject({ sent: 3 });
    await replicaB.tick(new Date(due.getTime() + 5 * MINUTE));
    expect(
      world.stub
        .posted()
        .map((call) => call.body.channel)
        .sort(),
    ).toEqual([...channels].sort());
    const rows = await world.store.prisma.delivery.findMany();
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([
      ["sent", 2],
      ["sent", 2],
      ["sent", 2],
    ]);
  });

  it("answers a 429 by waiting for Retry-After: nothing is sent before it, the message goes once after", async () => {
    await typeInChannel(
      world.ctx,
      "subscribe daily 08:00",
      "C0BUSY",
      new Date("2026-03-01T12:00:00Z"),
      "UTC",
    );
    const due = new Date("2026-03-02T08:00:00Z");
    const scheduler = world.scheduler("replica-a");
    world.stub.rateLimitNext("chat.postMessage", 2);

    expect(await scheduler.tick(due)).toMatchObject({ sent: 0, rateLimited: 1, retried: 1 });
    const [waiting] = await world.store.prisma.delivery.findMany();
    expect(waiting).toMatchObject({
      status: "pending",
      attempts: 0,
      lastError: "Slack rate limit: asked to wait 2 s",
    });
    expect(waiting?.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(due.getTime() + 2_000);

    const callsAfterThe429 = world.stub.callsTo("chat.postMessage").length;
    expect(await scheduler.tick(new Date(due.getTime() + 1_000))).toMatchObject({ sent: 0 });
    expect(world.stub.callsTo("chat.postMessage")).toHaveLength(callsAfterThe429);

    expect(await scheduler.tick(new Date(due.getTime() + 3_000))).toMatchObject({ sent: 1 });
    expect(world.stub.callsTo("chat.postMessage").map((call) => call.outcome)).toEqual(["ratelimited", "ok"]);
    expect(await world.store.prisma.delivery.findFirst()).toMatchObject({ status: "sent", attempts: 1 });
  });
});
