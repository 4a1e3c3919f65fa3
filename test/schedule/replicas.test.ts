import { afterAll, beforeAll, expect, it } from "vitest";
import { createScheduler } from "../../src/platforms.ts";
import type { Store } from "../../src/store/database.ts";
import { describeOnPostgres, openSecondPool } from "../support/postgres.ts";
import { MINUTE, noWait, openScheduleWorld, type ScheduleWorld, typeInChannel } from "./support.ts";

const CHANNELS = Array.from({ length: 30 }, (_, i) => `C0ROOM${String(i + 1).padStart(2, "0")}`);
const DAYS = ["2026-03-02", "2026-03-03"];

describeOnPostgres("two scheduler replicas on one PostgreSQL database", () => {
  let world: ScheduleWorld;
  /** The second replica's own connection pool to the same database, as another process would have. */
  let otherProcess: Store;

  beforeAll(async () => {
    world = await openScheduleWorld();
    otherProcess = await openSecondPool(world.store);
  });
  afterAll(async () => {
    await otherProcess?.close();
    await world?.close();
  });

  it("send every digest exactly once while ticking concurrently over the same clock", async () => {
    for (const [i, channel] of CHANNELS.entries()) {
      const timezone = i % 2 === 0 ? "Europe/Amsterdam" : "Europe/Lisbon";
      await typeInChannel(
        world.ctx,
        "subscribe daily 09:00",
        channel,
        new Date("2026-03-01T12:00:00Z"),
        timezone,
      );
    }
    const settings = { delivery: { batchSize: 4 } };
    const replicaA = world.scheduler("replica-a", settings);
    const replicaB = createScheduler({
      config: world.config,
      store: otherProcess,
      settings: { ...settings, owner: "replica-b" },
      sleep: noWait,
    });
    world.stub.delayMs = 10;
    const sentBy = { a: 0, b: 0 };
    for (const day of DAYS) {
      // 09:00 Amsterdam is 08:00Z, 09:00 Lisbon is 09:00Z: both replicas tick through both.
      const from = Date.parse(`${day}T07:55:00Z`);
      for (let t = from; t <= from + 70 * MINUTE; t += MINUTE / 2) {
        const [a, b] = await Promise.all([replicaA.tick(new Date(t)), replicaB.tick(new Date(t))]);
        sentBy.a += a.sent;
        sentBy.b += b.sent;
      }
    }

    const perChannel = new Map<string, number>();
    for (const call of world.stub.posted()) {
      const channel = String(call.body.channel);
      perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
    }
    expect(world.stub.callsTo("chat.postMessage")).toHaveLength(CHANNELS.length * DAYS.length);
    expect([...perChannel.keys()].sort()).toEqual(CHANNELS);
    expect([...perChannel.values()].every((count) => count === DAYS.length)).toBe(true);
    expect(sentBy.a + sentBy.b).toBe(CHANNELS.length * DAYS.length);
    // The work was shared, not done by one replica while the other idled.
    expect(sentBy.a).toBeGreaterThan(0);
    expect(sentBy.b).toBeGreaterThan(0);
    const rows = await world.store.prisma.delivery.groupBy({ by: ["status"], _count: true });
    expect(rows).toEqual([{ status: "sent", _count: CHANNELS.length * DAYS.length }]);
  });
});
